"""The team's performance over a period (GET /metrics): daily rollups read with one Query per
dimension, the live backlog counted on the ticket indexes (each count stops at 1,000 items read),
and the tickets behind a figure. Nothing here reads tickets by period: the number of reads depends
on the period and the team's size, never on the number of tickets."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from chalicelib.contracts.responses import MetricsOut, MetricsTicketsOut
from chalicelib.data import metrics as rollups
from chalicelib.data import tickets as ticket_repo
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.metrics_fold import (
    ALL,
    COUNTERS,
    HISTOGRAMS,
    WORDS,
    DayRollup,
    counter_attr,
    ids_attr,
    packed_attr,
)
from chalicelib.domain.metrics_report import Period, Report, Rollups, build_report, checked_periods
from chalicelib.domain.principal import Principal
from chalicelib.domain.tickets import OPEN_STATUSES
from chalicelib.services.presenters import ticket_public
from chalicelib.services.ticket_lists import count_tickets

DEFAULT_DAYS = 30
FILTERS = ("queue", "priority", "channel")
# "at risk" is a deadline's last quarter (the clock stamps when it begins, ``sla_at_risk_at``); tickets
# due soonest are read first, up to AT_RISK_READ_CAP, and none further ahead than this
AT_RISK_HORIZON = timedelta(days=30)
AT_RISK_READ_CAP = 1000
MAX_LISTED = 500
# What the report reads of each item: the counters and the packed histograms, never the ticket-id sets
# (only the tickets behind a figure read those) and never a bucket attribute by name.
SUMMARY = (*(counter_attr(c) for c in COUNTERS), *(packed_attr(h) for h in HISTOGRAMS))
# Of a dimension it does not group by: solved per agent, new tickets per tag, the rest for priorities.
PROJECTIONS = {"agent": (counter_attr("solved"),), "tag": (counter_attr("created"),), "priority": SUMMARY}


def periods_of(query: dict[str, Any]) -> tuple[Period, Period]:
    last: date = query.get("to") or utcnow().date()
    first: date = query.get("from_") or last - timedelta(days=DEFAULT_DAYS - 1)
    return checked_periods(first, last, query.get("compare_from"), query.get("compare_to"))


def _filter_of(query: dict[str, Any]) -> tuple[str, str] | None:
    given = [(name, str(query[name])) for name in FILTERS if query.get(name)]
    if len(given) > 1:
        raise ValidationFailed(
            [{"field": name, "message": "filter by one of queue, priority or channel at a time"} for name, _ in given]
        )
    return given[0] if given else None


def team_metrics(principal: Principal, query: dict[str, Any]) -> MetricsOut:
    period, comparison = periods_of(query)
    group_by: str = query.get("group_by") or "day"
    narrowed = _filter_of(query)
    if narrowed is not None and group_by not in ("day", "week", narrowed[0]):
        raise ValidationFailed(
            [{"field": "group_by", "message": f"with a {narrowed[0]} filter, group by day, week or {narrowed[0]}"}]
        )
    tenant_id = principal.tenant_id
    today = utcnow().date()
    earliest, latest = min(period.first, comparison.first), max(period.last, comparison.last, today)
    base_dim = narrowed[0] if narrowed else ALL
    base = [
        r
        for r in rollups.read_period(tenant_id, base_dim, earliest, latest, SUMMARY)
        if not narrowed or r.value == narrowed[1]
    ]
    # Rollups are kept per single dimension: under a filter, only that dimension's own rows are true
    # for the filtered tickets, so per-agent, per-tag and word figures are left out rather than shown
    # for the whole workspace.
    by_dimension: dict[str, list[DayRollup]] = {narrowed[0]: base} if narrowed else {}
    if narrowed is None:
        wanted = {"agent", "priority", "tag", WORDS} | ({group_by} - {"day", "week"})
        for dimension in sorted(wanted):
            only = None if dimension == WORDS else SUMMARY if dimension == group_by else PROJECTIONS[dimension]
            by_dimension[dimension] = rollups.read_period(tenant_id, dimension, earliest, latest, only)
    backlog = backlog_now(principal, narrowed)
    net_after = None
    if backlog["open"] is not None and period.last <= today:
        after = [r for r in base if r.day > period.last]
        net_after = sum(_net(r) for r in after)
    report = build_report(period, comparison, Rollups(base, by_dimension, net_after), group_by, backlog["open"])
    return metrics_public(report, period, comparison, group_by, dict([narrowed]) if narrowed else {}, backlog)


def _net(row: DayRollup) -> int:
    f = row.figures
    return (
        int(f.get(counter_attr("created"), 0))
        + int(f.get(counter_attr("reopened"), 0))
        - int(f.get(counter_attr("solved"), 0))
    )


def backlog_now(principal: Principal, narrowed: tuple[str, str] | None) -> dict[str, Any]:
    """Open, unassigned, at risk and breached now, counted on the ticket indexes. A channel filter has
    no index: those figures are left out (None) rather than shown for the whole workspace."""
    if narrowed is not None and narrowed[0] == "channel":
        return {"open": None, "unassigned": None, "at_risk": None, "breached": None, "capped": False, "links": {}}
    scope: dict[str, Any] = (
        {narrowed[0]: [narrowed[1]] if narrowed[0] == "priority" else narrowed[1]} if narrowed else {}
    )
    now = utcnow()
    queries: dict[str, dict[str, Any]] = {
        "open": {"status": list(OPEN_STATUSES), **scope},
        "unassigned": {"assignee": "unassigned", "status": list(OPEN_STATUSES), **scope},
        "breached": {"sla_due_before": now, **scope},
    }
    counts = {name: count_tickets(principal, {"limit": 25, **q}) for name, q in queries.items()}
    at_risk, risk_capped = _at_risk(principal.tenant_id, now, narrowed)
    links = {name: urlencode(_link_query(q), doseq=True) for name, q in queries.items()}
    return {
        "open": counts["open"].value,
        "unassigned": counts["unassigned"].value,
        "at_risk": at_risk,
        "breached": counts["breached"].value,
        "capped": any(c.capped for c in counts.values()) or risk_capped,
        "links": links,
    }


def _link_query(query: dict[str, Any]) -> dict[str, Any]:
    return {k: to_text(v) if isinstance(v, datetime) else v for k, v in query.items()}


def _at_risk(tenant_id: str, now: datetime, narrowed: tuple[str, str] | None) -> tuple[int, bool]:
    count = read = 0
    for ticket in ticket_repo.tickets_due_between(tenant_id, now, now + AT_RISK_HORIZON):
        read += 1
        if read > AT_RISK_READ_CAP:
            return count, True
        if narrowed is not None and str(getattr(ticket, narrowed[0])) != narrowed[1]:
            continue
        at_risk_at = ticket.sla_at_risk_at
        if at_risk_at is not None and at_risk_at <= now and ticket.sla_paused_at is None:
            count += 1
    return count, False


def metrics_public(
    report: Report, period: Period, comparison: Period, group_by: str, filters: dict[str, str], backlog: dict[str, Any]
) -> MetricsOut:
    body = asdict(report)
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
    period, _ = periods_of({"from_": query.get("from_"), "to": query.get("to")})
    measure: str = query["measure"]
    ids: set[str] = set()
    for row in rollups.read_period(principal.tenant_id, ALL, period.first, period.last):
        ids |= row.id_sets.get(ids_attr(measure), set())
    # a figure of thousands is not read whole: its first MAX_LISTED ids (in id order) are fetched
    found = ticket_repo.get_tickets(principal.tenant_id, sorted(ids)[:MAX_LISTED]) if ids else {}
    ordered = sorted(found.values(), key=lambda t: -int(t.number))[: int(query.get("limit") or 50)]
    return MetricsTicketsOut(measure=measure, count=len(ids), items=[ticket_public(t) for t in ordered])
