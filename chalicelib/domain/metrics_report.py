"""The team's figures for a period, computed from daily rollups only, against the product's goals.
Pure code: the service reads the rollups and the live backlog, this module does the arithmetic.

A period is whole UTC days, ``first`` to ``last`` inclusive; the comparison period is by default the
same number of days just before it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.histogram import Histogram
from chalicelib.domain.metrics_fold import DIMENSIONS, NO_AGENT, DayRollup, counter_attr

GroupBy = Literal["day", "week", "agent", "queue", "priority", "channel", "tag"]
GROUP_BYS: tuple[str, ...] = ("day", "week", *DIMENSIONS)
MAX_DAYS = 366  # "at most a year": a leap year's 366 days included
FIRST_RESPONSE_GOAL_SECONDS = 2 * 3600  # high-priority tickets
RESOLVED_24H_GOAL = 0.8
RESOLUTION_CHANGE_GOAL = -0.30
SOLVED_PER_AGENT_CHANGE_GOAL = 0.25
GOAL_PRIORITIES = ("urgent", "high")  # "high priority" includes the urgent ones
TOP = 10
FRT = ("frt_cal",)
CALENDAR = ("frt_cal", "res_cal")


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]


def checked_periods(
    first: date, last: date, compare_first: date | None, compare_last: date | None
) -> tuple[Period, Period]:
    """The period asked for and its comparison; ValidationFailed names each field that is wrong."""
    problems = []
    if first > last:
        problems.append({"field": "from", "message": "must not be after 'to'"})
    elif (last - first).days + 1 > MAX_DAYS:
        problems.append({"field": "to", "message": f"a period is at most a year ({MAX_DAYS} days)"})
    if (compare_first is None) != (compare_last is None):
        field_name = "compare_to" if compare_last is None else "compare_from"
        problems.append({"field": field_name, "message": "give both ends of the comparison period, or neither"})
    elif compare_first is not None and compare_last is not None:
        if compare_first > compare_last:
            problems.append({"field": "compare_from", "message": "must not be after 'compare_to'"})
        elif (compare_last - compare_first).days + 1 > MAX_DAYS:
            problems.append({"field": "compare_to", "message": f"a period is at most a year ({MAX_DAYS} days)"})
    if problems:
        raise ValidationFailed(problems)
    period = Period(first, last)
    if compare_first is not None and compare_last is not None:
        return period, Period(compare_first, compare_last)
    return period, period.previous()


# --- merging rollups -------------------------------------------------------------------------------


@dataclass
class Figures:
    """The sum of any set of rollups: counters and histograms add up."""

    counts: Counter[str] = field(default_factory=Counter)
    histograms: dict[str, Counter[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, rollups: Iterable[DayRollup], histograms: tuple[str, ...] | None = None) -> Figures:
        """``histograms`` names the ones to merge (all by default): merging buckets is the costly part."""
        total: Counter[str] = Counter()
        merged: dict[str, Counter[int]] = {}
        for rollup in rollups:
            total.update(rollup.counters)
            for name, buckets in rollup.histograms.items():
                if histograms is None or name in histograms:
                    merged.setdefault(name, Counter()).update(buckets)
        return cls(total, merged)

    def count(self, counter: str) -> int:
        return int(self.counts.get(counter_attr(counter), 0))

    def histogram(self, name: str) -> Histogram:
        return Histogram(self.histograms.get(name, Counter()))


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def change(now: float | None, before: float | None) -> float | None:
    """Relative change; None without a base to compare with."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


# --- the report ------------------------------------------------------------------------------------


@dataclass
class Durations:
    count: int
    p50: float | None
    p90: float | None
    p50_business: float | None
    p90_business: float | None


@dataclass
class PriorityResponse:
    priority: str
    count: int
    p50: float | None
    p90: float | None
    goal: float | None  # the 2-hour goal applies to high (and urgent) priority


@dataclass
class GoalCard:
    key: str
    label: str
    value: float | None
    previous: float | None
    goal: float
    unit: Literal["seconds", "share", "change"]
    met: bool | None
    trend: list[float | None]  # the value day by day over the period (the sparkline)


@dataclass
class SlaCompliance:
    target: str
    met: int
    breached: int
    compliance: float | None


@dataclass
class GroupRow:
    key: str
    created: int
    solved: int
    solved_previous: int
    solved_change: float | None
    reopened: int
    first_response_p50: float | None
    first_response_p90: float | None
    resolution_p50: float | None
    resolution_p90: float | None
    resolved_24h_share: float | None
    sla_compliance: float | None


@dataclass
class TermRow:
    term: str
    count: int
    previous: int
    change: float | None


@dataclass
class BacklogPoint:
    day: str
    open: int | None


@dataclass
class Report:
    created: int
    solved: int
    reopened: int
    reopen_rate: float | None
    replies_per_solved: float | None
    first_response: Durations
    first_response_by_priority: list[PriorityResponse]
    resolution: Durations
    resolution_previous_p50: float | None
    resolution_change: float | None
    resolved_24h_share: float | None
    solved_per_agent: float | None
    solved_per_agent_previous: float | None
    solved_per_agent_change: float | None
    sla: list[SlaCompliance]
    csat_good: int
    csat_bad: int
    csat_score: float | None
    goals: list[GoalCard]
    groups: list[GroupRow]
    top_tags: list[TermRow]
    top_words: list[TermRow]
    backlog_over_time: list[BacklogPoint]


@dataclass
class Rollups:
    """The rollups a report reads, per dimension, covering the period and its comparison."""

    base: list[DayRollup]  # the whole workspace, or the one filtered dimension value
    by_dimension: Mapping[str, list[DayRollup]]  # agent, priority, tag, words, and the group's dimension
    net_after_period: int | None = None  # created + reopened - solved from the day after the period to today


def durations(figures: Figures, calendar: str, business: str) -> Durations:
    cal, bus = figures.histogram(calendar), figures.histogram(business)
    return Durations(cal.total, cal.quantile(0.5), cal.quantile(0.9), bus.quantile(0.5), bus.quantile(0.9))


def within(rollups: Iterable[DayRollup], period: Period) -> list[DayRollup]:
    return [r for r in rollups if period.contains(r.day)]


def build_report(period: Period, comparison: Period, rollups: Rollups, group_by: str, open_now: int | None) -> Report:
    now_rows, before_rows = within(rollups.base, period), within(rollups.base, comparison)
    now, before = Figures.of(now_rows), Figures.of(before_rows)
    solved, reopened = now.count("solved"), now.count("reopened")
    resolution = durations(now, "res_cal", "res_bus")
    resolution_before = before.histogram("res_cal").quantile(0.5)
    per_agent, per_agent_before = _solved_per_agent(rollups, period), _solved_per_agent(rollups, comparison)
    by_priority = _by_priority(rollups.by_dimension.get("priority"), period)
    report = Report(
        created=now.count("created"),
        solved=solved,
        reopened=reopened,
        reopen_rate=ratio(reopened, solved),
        replies_per_solved=ratio(now.count("replies"), solved),
        first_response=durations(now, "frt_cal", "frt_bus"),
        first_response_by_priority=by_priority,
        resolution=resolution,
        resolution_previous_p50=resolution_before,
        resolution_change=change(resolution.p50, resolution_before),
        resolved_24h_share=ratio(now.count("resolved_24h"), solved),
        solved_per_agent=per_agent,
        solved_per_agent_previous=per_agent_before,
        solved_per_agent_change=change(per_agent, per_agent_before),
        sla=[_sla(now, "first_response"), _sla(now, "resolution")],
        csat_good=now.count("csat_good"),
        csat_bad=now.count("csat_bad"),
        csat_score=ratio(now.count("csat_good"), now.count("csat_good") + now.count("csat_bad")),
        goals=[],
        groups=_groups(rollups, period, comparison, group_by),
        top_tags=_top(rollups.by_dimension.get("tag", []), period, comparison, counter_attr("created")),
        top_words=_top(rollups.by_dimension.get("words", []), period, comparison, None),
        backlog_over_time=_backlog(rollups, period, open_now),
    )
    report.goals = _goals(report, rollups, period, comparison)
    return report


def _sla(figures: Figures, target: str) -> SlaCompliance:
    met, breached = figures.count(f"sla_{target}_met"), figures.count(f"sla_{target}_breached")
    return SlaCompliance(target, met, breached, ratio(met, met + breached))


def _solved_per_agent(rollups: Rollups, period: Period) -> float | None:
    solved: Counter[str] = Counter()
    for row in within(rollups.by_dimension.get("agent", []), period):
        if row.value != NO_AGENT:
            solved[row.value] += int(row.figures.get(counter_attr("solved"), 0))
    agents = [n for n in solved.values() if n > 0]
    return sum(agents) / len(agents) if agents else None


def _by_priority(rows: list[DayRollup] | None, period: Period) -> list[PriorityResponse]:
    if rows is None:
        return []
    grouped: dict[str, list[DayRollup]] = defaultdict(list)
    for row in within(rows, period):
        grouped[row.value].append(row)
    out = []
    for priority in ("urgent", "high", "normal", "low"):
        histogram = Figures.of(grouped.get(priority, []), FRT).histogram("frt_cal")
        goal = float(FIRST_RESPONSE_GOAL_SECONDS) if priority in GOAL_PRIORITIES else None
        out.append(PriorityResponse(priority, histogram.total, histogram.quantile(0.5), histogram.quantile(0.9), goal))
    return out


def _group_key(row: DayRollup, group_by: str) -> str:
    if group_by == "day":
        return row.day.isoformat()
    if group_by == "week":
        year, week, _ = row.day.isocalendar()
        return f"{year}-W{week:02d}"
    return row.value


def _groups(rollups: Rollups, period: Period, comparison: Period, group_by: str) -> list[GroupRow]:
    source = rollups.base if group_by in ("day", "week") else rollups.by_dimension.get(group_by, [])
    now: dict[str, list[DayRollup]] = defaultdict(list)
    before: dict[str, list[DayRollup]] = defaultdict(list)
    for row in source:
        if period.contains(row.day):
            now[_group_key(row, group_by)].append(row)
        elif comparison.contains(row.day) and group_by not in ("day", "week"):
            before[_group_key(row, group_by)].append(row)
    if group_by in ("day", "week"):  # every day (week) of the period has its row, quiet ones too
        for day in period.each_day():
            now.setdefault(_group_key(DayRollup(day, "", ""), group_by), [])
    rows = []
    for key in sorted(now):
        figures, previous = Figures.of(now[key], CALENDAR), Figures.of(before.get(key, []), ())
        solved = figures.count("solved")
        first, res = figures.histogram("frt_cal"), figures.histogram("res_cal")
        sla_met = figures.count("sla_first_response_met") + figures.count("sla_resolution_met")
        sla_all = sla_met + figures.count("sla_first_response_breached") + figures.count("sla_resolution_breached")
        rows.append(
            GroupRow(
                key=key,
                created=figures.count("created"),
                solved=solved,
                solved_previous=previous.count("solved"),
                solved_change=change(solved, previous.count("solved")),
                reopened=figures.count("reopened"),
                first_response_p50=first.quantile(0.5),
                first_response_p90=first.quantile(0.9),
                resolution_p50=res.quantile(0.5),
                resolution_p90=res.quantile(0.9),
                resolved_24h_share=ratio(figures.count("resolved_24h"), solved),
                sla_compliance=ratio(sla_met, sla_all),
            )
        )
    if group_by not in ("day", "week"):
        rows.sort(key=lambda r: (-r.solved, -r.created, r.key))
    return rows


def _top(rows: list[DayRollup], period: Period, comparison: Period, counter: str | None) -> list[TermRow]:
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for row in rows:
        target = now if period.contains(row.day) else before if comparison.contains(row.day) else None
        if target is None:
            continue
        if counter is not None:  # one item per term (tags)
            target[row.value] += int(row.figures.get(counter, 0))
        else:  # one item per day holding every word
            for attr, n in row.figures.items():
                if attr.startswith("w_"):
                    target[attr[2:]] += int(n)
    ranked = sorted((t for t in now if now[t] > 0), key=lambda t: (-now[t], t))[:TOP]
    return [TermRow(t, now[t], before[t], change(now[t], before[t])) for t in ranked]


def _backlog(rollups: Rollups, period: Period, open_now: int | None) -> list[BacklogPoint]:
    """Open tickets at the end of each day: today's count, walked back through each day's net change."""
    if open_now is None or rollups.net_after_period is None:
        return [BacklogPoint(day.isoformat(), None) for day in period.each_day()]
    net: Counter[date] = Counter()
    for row in within(rollups.base, period):
        figures = row.figures
        net[row.day] += (
            int(figures.get(counter_attr("created"), 0))
            + int(figures.get(counter_attr("reopened"), 0))
            - int(figures.get(counter_attr("solved"), 0))
        )
    points = []
    level = open_now - rollups.net_after_period
    for day in reversed(period.each_day()):
        points.append(BacklogPoint(day.isoformat(), max(level, 0)))
        level -= net[day]
    points.reverse()
    return points


def _daily(rows: Sequence[DayRollup], period: Period) -> dict[date, Figures]:
    grouped: dict[date, list[DayRollup]] = defaultdict(list)
    for row in within(rows, period):
        grouped[row.day].append(row)
    return {day: Figures.of(grouped.get(day, []), ("res_cal",)) for day in period.each_day()}


def _goals(report: Report, rollups: Rollups, period: Period, comparison: Period) -> list[GoalCard]:
    merged_high = Figures.of(
        (r for r in within(rollups.by_dimension.get("priority", []), period) if r.value in GOAL_PRIORITIES), FRT
    ).histogram("frt_cal")
    before_high = Figures.of(
        (r for r in within(rollups.by_dimension.get("priority", []), comparison) if r.value in GOAL_PRIORITIES), FRT
    ).histogram("frt_cal")
    first_response = merged_high.quantile(0.5)
    daily_high: dict[date, list[DayRollup]] = defaultdict(list)
    for row in within(rollups.by_dimension.get("priority", []), period):
        if row.value in GOAL_PRIORITIES:
            daily_high[row.day].append(row)
    daily = _daily(rollups.base, period)
    days = period.each_day()
    return [
        GoalCard(
            key="first_response_high",
            label="First response, high priority (median)",
            value=first_response,
            previous=before_high.quantile(0.5),
            goal=float(FIRST_RESPONSE_GOAL_SECONDS),
            unit="seconds",
            met=None if first_response is None else first_response <= FIRST_RESPONSE_GOAL_SECONDS,
            trend=[Figures.of(daily_high.get(d, []), FRT).histogram("frt_cal").quantile(0.5) for d in days],
        ),
        GoalCard(
            key="resolved_within_24h",
            label="Resolved within 24 hours",
            value=report.resolved_24h_share,
            previous=_resolved_24h_share(rollups, comparison),
            goal=RESOLVED_24H_GOAL,
            unit="share",
            met=None if report.resolved_24h_share is None else report.resolved_24h_share >= RESOLVED_24H_GOAL,
            trend=[ratio(daily[d].count("resolved_24h"), daily[d].count("solved")) for d in days],
        ),
        GoalCard(
            key="resolution_time_change",
            label="Resolution time (median) vs the comparison period",
            value=report.resolution_change,
            previous=None,
            goal=RESOLUTION_CHANGE_GOAL,
            unit="change",
            met=None if report.resolution_change is None else report.resolution_change <= RESOLUTION_CHANGE_GOAL,
            trend=[daily[d].histogram("res_cal").quantile(0.5) for d in days],
        ),
        GoalCard(
            key="solved_per_agent_change",
            label="Tickets solved per agent vs the comparison period",
            value=report.solved_per_agent_change,
            previous=None,
            goal=SOLVED_PER_AGENT_CHANGE_GOAL,
            unit="change",
            met=None
            if report.solved_per_agent_change is None
            else report.solved_per_agent_change >= SOLVED_PER_AGENT_CHANGE_GOAL,
            trend=[float(daily[d].count("solved")) for d in days],
        ),
    ]


def _resolved_24h_share(rollups: Rollups, period: Period) -> float | None:
    figures = Figures.of(within(rollups.base, period), ())
    return ratio(figures.count("resolved_24h"), figures.count("solved"))
