"""The team's performance over a period (GET /metrics): rollups read with a few Queries, all in
parallel, beside the live backlog (open and unassigned from the counters the metrics consumer keeps,
one GetItem; at risk and breached, which move with the clock, counted on the SLA index, each stopping
at 1,000 items read), and the tickets behind a figure. Nothing here reads tickets by period: the number
of reads depends on the period and the team's size, never on the number of tickets.

What a 30-day report reads: the workspace's day items of the period and of its comparison, and the
words' (one Query each); a year, its closed months and its other days. The agent, queue, priority,
channel and tag dimensions are read only to group by them, with closed weeks as one item per value
(about 10 items per value, not 30), and grouping by agent takes the comparison's solved per agent
from the workspace's items."""

from __future__ import annotations

import csv
import io
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from threading import current_thread
from typing import Any
from urllib.parse import urlencode

from chalicelib.contracts.responses import MetricsOut, MetricsTicketsOut
from chalicelib.data import metrics as rollups
from chalicelib.data import tickets as ticket_repo
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.metrics_calendar import month_of, week_of
from chalicelib.domain.metrics_fold import (
    ALL,
    COUNTERS,
    IDS,
    NO_AGENT,
    QUEUE_PRIORITY,
    WORDS,
    DayRollup,
    Dimension,
    counter_attr,
    ids_attr,
    packed_attr,
    queue_priority,
)
from chalicelib.domain.metrics_report import (
    Period,
    Report,
    Rollups,
    build_report,
    checked_periods,
    net_change,
    within,
)
from chalicelib.domain.principal import Principal
from chalicelib.domain.tickets import OPEN_STATUSES
from chalicelib.services.metrics_calendar import today_for
from chalicelib.services.presenters import ticket_public
from chalicelib.services.ticket_lists import count_tickets

DEFAULT_DAYS = 30
FILTERS = ("queue", "priority", "channel")
# "at risk" is a deadline's last quarter (the clock stamps when it begins, ``sla_at_risk_at``); tickets
# due soonest are counted first, up to the count's cap, and none further ahead than this
AT_RISK_HORIZON = timedelta(days=30)
MAX_LISTED = 500
# The reads of one report run side by side: each is a round trip to DynamoDB, mostly waiting.
READERS = 8
# The longest period and comparison (together) that a one-item-a-day dimension reads with one Query
JOINED_DAYS = 62
# What a group's row reads of its dimension's items (a Query projection): never the per-priority
# histograms or the per-agent and per-tag counts the workspace's items carry for the report itself.
GROUP_FIGURES = (*(counter_attr(c) for c in COUNTERS), packed_attr("frt_cal"), packed_attr("res_cal"))


@dataclass(frozen=True)
class Scope:
    """Which tickets the figures are about: the whole workspace, or one stored dimension value (a
    single filter, or queue and priority together, which have their own rollups)."""

    filters: dict[str, str]
    dimension: str = ALL
    value: str = ""


def periods_of(query: dict[str, Any], today: date) -> tuple[Period, Period]:
    """The period asked for: ``to`` (default: the workspace's today) and ``from`` or a number of days."""
    if query.get("from_") and query.get("days"):
        raise ValidationFailed([{"field": "days", "message": "give 'from' or 'days', not both"}])
    last: date = query.get("to") or today
    first: date = query.get("from_") or last - timedelta(days=int(query.get("days") or DEFAULT_DAYS) - 1)
    return checked_periods(first, last, query.get("compare_from"), query.get("compare_to"))


def scope_of(query: dict[str, Any]) -> Scope:
    """The filters asked for, as the rollups keep them: any one of queue, priority or channel, or queue
    and priority together. A channel with another filter is refused (422): no rollup counts that
    intersection, and adding one per pair would multiply every change's writes for a rare question."""
    given = {name: str(query[name]) for name in FILTERS if query.get(name)}
    if not given:
        return Scope({})
    if len(given) == 1:
        ((name, value),) = given.items()
        return Scope(given, name, value)
    if set(given) == {"queue", "priority"}:
        return Scope(given, QUEUE_PRIORITY, queue_priority(given["queue"], given["priority"]))
    raise ValidationFailed(
        [{"field": "channel", "message": "a channel filter cannot be combined with queue or priority"}]
    )


def team_metrics(principal: Principal, query: dict[str, Any]) -> MetricsOut:
    tenant_id = principal.tenant_id
    today = today_for(tenant_id)
    period, comparison = periods_of(query, today)
    group_by: str = query.get("group_by") or "day"
    scope = scope_of(query)
    if scope.filters and group_by not in ("day", "week", scope.dimension):
        allowed = "day or week" if scope.dimension == QUEUE_PRIORITY else f"day, week or {scope.dimension}"
        raise ValidationFailed([{"field": "group_by", "message": f"with these filters, group by {allowed}"}])
    closed_before, open_week = month_of(today), week_of(today)
    until_today = Period(period.first, max(period.last, today))
    derive_agents = False
    group_both: Future[list[list[DayRollup]]] | None = None
    # the readers are named after the request's thread, so what they do is told as the request's
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix=f"{current_thread().name}-metrics") as pool:
        backlog_read = pool.submit(backlog_now, principal, scope)
        if scope.dimension == ALL and adjacent(period, comparison):
            # one item a day, the comparison just before the period: one Query each reads both
            now = before = pool.submit(rollups.read_period, tenant_id, ALL, comparison.first, until_today.last)
            words_now = words_before = pool.submit(rollups.read_period, tenant_id, WORDS, comparison.first, period.last)
        elif scope.dimension == ALL:
            now = pool.submit(rollups.read_period, tenant_id, ALL, until_today.first, until_today.last)
            # one item a day: a run of days is one Query, where weeks would cost two more round trips than
            # the items they save (a group's dimension, a dozen items a day, reads weeks)
            before = _span(pool, tenant_id, ALL, comparison, closed_before, None)
            words_now = _span(pool, tenant_id, WORDS, period, closed_before, None)
            words_before = _span(pool, tenant_id, WORDS, comparison, closed_before, None)
        else:  # one value's items, fetched by key; words are kept for the whole workspace only
            now = _value(pool, tenant_id, scope, until_today)
            before = _value(pool, tenant_id, scope, comparison, closed_before, open_week)
            words_now = words_before = _nothing(pool)
        if group_by == scope.dimension:  # grouping by the filtered dimension: its one value
            group_now, group_before = now, before
        elif group_by in ("day", "week"):
            group_now = group_before = _nothing(pool)
        elif group_by == "agent" and scope.dimension == ALL:  # the group's rows: counters and two histograms
            group_now = _span(pool, tenant_id, group_by, period, closed_before, open_week, GROUP_FIGURES)
            # the workspace's comparison items carry solved per agent: no read of the agents' own
            group_before = _nothing(pool)
            derive_agents = True
        elif follows(comparison, period):
            # the comparison's rows and the period's with shared Queries (its weeks, its days that meet)
            spans = [(comparison.first, comparison.last), (period.first, period.last)]
            group_both = pool.submit(
                rollups.read_spans, tenant_id, group_by, spans, closed_before, GROUP_FIGURES, open_week
            )
            group_now = group_before = _nothing(pool)
        else:  # of the comparison, solved only
            group_now = _span(pool, tenant_id, group_by, period, closed_before, open_week, GROUP_FIGURES)
            solved_only = (counter_attr("solved"),)
            group_before = _span(pool, tenant_id, group_by, comparison, closed_before, open_week, solved_only)
        base, before_rows = within(now.result(), until_today), within(before.result(), comparison)
        backlog = backlog_read.result()
        net_after = None
        if backlog["open"] is not None and period.last <= today:
            net_after = net_change(r for r in base if r.day > period.last)
        groups_now = group_now.result()
        groups_before = solved_by_agent(before_rows) if derive_agents else group_before.result()
        if group_both is not None:
            groups_before, groups_now = group_both.result()
        read = Rollups(
            base,
            before_rows,
            groups_now,
            groups_before,
            words_now.result(),
            words_before.result(),
            net_after,
        )
    report = build_report(period, comparison, read, group_by, backlog["open"])
    return metrics_public(report, period, comparison, group_by, scope.filters, backlog)


def adjacent(period: Period, comparison: Period) -> bool:
    """The comparison ends the day before the period begins, and the two are short enough that the
    day items of both are fewer than the round trips that reading them apart would add (a 30-day
    period and its default comparison: 60 items in one Query instead of two Queries, or three where
    the comparison holds a whole closed month)."""
    return follows(comparison, period) and period.days + comparison.days <= JOINED_DAYS


def follows(comparison: Period, period: Period) -> bool:
    return comparison.last + timedelta(days=1) == period.first


def solved_by_agent(rows: list[DayRollup]) -> list[DayRollup]:
    """The agents' solved counts of each item (``a_<agent>``) as the agent dimension's rows would give
    them; tickets solved unassigned are the rest of the item's solved (the ``none`` agent)."""
    out = []
    for row in rows:
        per_agent = row.per("a_")
        unassigned = row.counters.get(counter_attr("solved"), 0) - sum(per_agent.values())
        if unassigned:
            per_agent[NO_AGENT] = unassigned
        out += [DayRollup(row.day, "agent", agent, {counter_attr("solved"): n}) for agent, n in per_agent.items()]
    return out


def _span(
    pool: ThreadPoolExecutor,
    tenant_id: str,
    dimension: str,
    period: Period,
    closed_before: date,
    open_week: date | None,
    only: tuple[str, ...] | None = None,
) -> Future[list[DayRollup]]:
    return pool.submit(
        rollups.read_span, tenant_id, dimension, period.first, period.last, closed_before, only, open_week
    )


def _value(
    pool: ThreadPoolExecutor,
    tenant_id: str,
    scope: Scope,
    period: Period,
    closed_before: date | None = None,
    open_week: date | None = None,
) -> Future[list[DayRollup]]:
    return pool.submit(
        rollups.read_value,
        tenant_id,
        scope.dimension,
        scope.value,
        period.first,
        period.last,
        closed_before,
        open_week,
    )


def _nothing(pool: ThreadPoolExecutor) -> Future[list[DayRollup]]:
    return pool.submit(list)


def backlog_now(principal: Principal, scope: Scope) -> dict[str, Any]:
    """Open and unassigned now from the counters the metrics consumer keeps per scope (exact, one
    GetItem), at risk and breached counted on the SLA index (they move with the clock, not with
    changes). A channel filter has no ticket index: those figures are left out (None) rather than
    shown for the whole workspace."""
    filters = scope.filters
    if "channel" in filters:
        return {"open": None, "unassigned": None, "at_risk": None, "breached": None, "capped": False, "links": {}}
    tenant_id = principal.tenant_id
    listed: dict[str, Any] = {name: [value] if name == "priority" else value for name, value in filters.items()}
    now = utcnow()
    queries: dict[str, dict[str, Any]] = {
        "open": {"status": list(OPEN_STATUSES), **listed},
        "unassigned": {"assignee": "unassigned", "status": list(OPEN_STATUSES), **listed},
        "breached": {"sla_due_before": now, **listed},
    }
    # the three reads side by side: each is its own round trip, mostly waiting on DynamoDB
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix=f"{current_thread().name}-backlog") as pool:
        counters = pool.submit(rollups.read_backlog, tenant_id, Dimension(scope.dimension, scope.value))
        breached = pool.submit(count_tickets, principal, {"limit": 25, **queries["breached"]})
        at_risk = ticket_repo.count_at_risk(tenant_id, now, now + AT_RISK_HORIZON, filters)
        counted, breached_count = counters.result(), breached.result()
    links = {name: urlencode(_link_query(q), doseq=True) for name, q in queries.items()}
    return {
        "open": max(counted.get("open", 0), 0),
        "unassigned": max(counted.get("unassigned", 0), 0),
        "at_risk": at_risk.value,
        "breached": breached_count.value,
        "capped": breached_count.capped or at_risk.capped,
        "links": links,
    }


def _link_query(query: dict[str, Any]) -> dict[str, Any]:
    return {k: to_text(v) if isinstance(v, datetime) else v for k, v in query.items()}


def metrics_public(
    report: Report, period: Period, comparison: Period, group_by: str, filters: dict[str, str], backlog: dict[str, Any]
) -> MetricsOut:
    # the report's rows (groups, goal cards, points) are read by attribute: a deep copy of them into dicts
    # first (dataclasses.asdict) cost a year's report more than validating them (12 ms against 1.4)
    body = {field.name: getattr(report, field.name) for field in fields(report)}
    return MetricsOut.model_validate(
        {
            **body,
            "period": _period(period),
            "comparison": _period(comparison),
            "group_by": group_by,
            "filters": filters,
            "backlog_now": backlog,
        },
        strict=False,
        from_attributes=True,
    )


def _period(period: Period) -> dict[str, Any]:
    return {"first": period.first.isoformat(), "last": period.last.isoformat(), "days": period.days}


# --- CSV: the same figures, one row per figure and one per group -------------------------------------


def metrics_csv(answer: MetricsOut) -> str:
    out = io.StringIO()
    writer = CellWriter(out)
    writer.writerow(["section", "key", "measure", "value", "previous", "goal"])
    p, c = answer.period, answer.comparison
    writer.writerow(["period", "", "from", p.first, c.first, ""])
    writer.writerow(["period", "", "to", p.last, c.last, ""])
    for goal in answer.goals:
        writer.writerow(["goal", goal.key, goal.unit, _cell(goal.value), _cell(goal.previous), _cell(goal.goal)])
    for name in ("created", "solved", "reopened", "reopen_rate", "replies_per_solved", "resolved_24h_share"):
        writer.writerow(["total", "", name, _cell(getattr(answer, name)), "", ""])
    for label, durations in (("first_response", answer.first_response), ("resolution", answer.resolution)):
        for name, value in durations.model_dump().items():
            writer.writerow(["total", label, name, _cell(value), "", ""])
    writer.writerow(["total", "resolution", "p50_change", _cell(answer.resolution_change), "", "-0.3"])
    writer.writerow(
        ["total", "", "solved_per_agent", _cell(answer.solved_per_agent), _cell(answer.solved_per_agent_previous), ""]
    )
    for row in answer.first_response_by_priority:
        writer.writerow(["first_response_by_priority", row.priority, "p50", _cell(row.p50), "", _cell(row.goal)])
        writer.writerow(["first_response_by_priority", row.priority, "p90", _cell(row.p90), "", _cell(row.goal)])
    for sla in answer.sla:
        writer.writerow(["sla", sla.target, "compliance", _cell(sla.compliance), "", ""])
    writer.writerow(["csat", "", "score", _cell(answer.csat_score), "", ""])
    writer.writerow(["csat", "", "good", answer.csat_good, "", ""])
    writer.writerow(["csat", "", "bad", answer.csat_bad, "", ""])
    for name, value in answer.backlog_now.model_dump(exclude={"links", "capped"}).items():
        writer.writerow(["backlog_now", "", name, _cell(value), "", ""])
    for point in answer.backlog_over_time:
        writer.writerow(["backlog", point.day, "open", _cell(point.open), "", ""])
    for group in answer.groups:
        for name, value in group.model_dump(exclude={"key", "solved_previous"}).items():
            previous = group.solved_previous if name == "solved" else ""
            writer.writerow([f"group:{answer.group_by}", group.key, name, _cell(value), previous, ""])
    for section, terms in (("top_tag", answer.top_tags), ("top_word", answer.top_words)):
        for term in terms:
            writer.writerow([section, term.term, "created", term.count, term.previous, ""])
    return out.getvalue()


class CellWriter:
    """A CSV writer that passes every cell through ``_cell``: group keys and terms (tags, words) are
    text customers and agents typed, and a spreadsheet would run one that reads as a formula."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, cells: list[Any]) -> None:
        self._writer.writerow([_cell(cell) for cell in cells])


# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- the tickets behind a figure --------------------------------------------------------------------


def metrics_tickets(principal: Principal, query: dict[str, Any]) -> MetricsTicketsOut:
    today = today_for(principal.tenant_id)
    period, _ = periods_of({"from_": query.get("from_"), "to": query.get("to")}, today)
    measure: str = query["measure"]
    ids: set[str] = set()
    for row in rollups.read_period(principal.tenant_id, IDS, period.first, period.last):
        ids |= row.id_sets.get(ids_attr(measure), set())
    # a figure of thousands is not read whole: its first MAX_LISTED ids (in id order) are fetched
    found = ticket_repo.get_tickets(principal.tenant_id, sorted(ids)[:MAX_LISTED]) if ids else {}
    ordered = sorted(found.values(), key=lambda t: -int(t.number))[: int(query.get("limit") or 50)]
    return MetricsTicketsOut(measure=measure, count=len(ids), items=[ticket_public(t) for t in ordered])
