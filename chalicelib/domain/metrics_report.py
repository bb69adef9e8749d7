"""The team's figures for a period, computed from daily rollups only, against the product's goals.
Pure code: the service reads the rollups and the live backlog, this module does the arithmetic.

A period is whole days of the workspace's time zone, ``first`` to ``last`` inclusive; the comparison
period is by default the same number of days just before it. Every figure but the groups and the
words comes from the workspace's items (or the filtered value's): they carry solved per agent, new
per tag and first response per priority themselves."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
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
HIGH = tuple(f"frt_{p}" for p in GOAL_PRIORITIES)
CALENDAR = ("frt_cal", "res_cal")
SLA_TARGETS = ("first_response", "next_reply", "resolution")


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
            # only the histograms asked for are decoded: an item carries eight
            wanted = rollup.histograms.items() if histograms is None else _some(rollup, histograms)
            for name, buckets in wanted:
                if buckets:
                    merged.setdefault(name, Counter()).update(buckets)
        return cls(total, merged)

    def count(self, counter: str) -> int:
        return int(self.counts.get(counter_attr(counter), 0))

    def histogram(self, *names: str) -> Histogram:
        """One histogram, or several merged (first response of urgent and high tickets)."""
        if len(names) == 1:
            return Histogram(self.histograms.get(names[0], Counter()))
        merged: Counter[int] = Counter()
        for name in names:
            merged.update(self.histograms.get(name, Counter()))
        return Histogram(merged)


def _some(rollup: DayRollup, names: tuple[str, ...]) -> list[tuple[str, dict[int, int]]]:
    return [(name, rollup.histogram(name)) for name in names]


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


def per_value(rows: Iterable[DayRollup], prefix: str) -> Counter[str]:
    """Counts per agent (``a_``), tag (``t_``) or word (``w_``) over a set of rollups."""
    total: Counter[str] = Counter()
    for row in rows:
        total.update(row.per(prefix))
    return total


@dataclass
class Rollups:
    """The rollups a report reads. ``now`` are the workspace's (or the filtered value's) day items of the
    period, and of the days after it up to today (the backlog walks back from today); ``before`` the
    same over the comparison period, whole closed months as one item each. The group's dimension and
    the words, over each period, only where the report needs them."""

    now: list[DayRollup]
    before: list[DayRollup]
    group_now: list[DayRollup] = field(default_factory=list)
    group_before: list[DayRollup] = field(default_factory=list)
    words_now: list[DayRollup] = field(default_factory=list)
    words_before: list[DayRollup] = field(default_factory=list)
    net_after_period: int | None = None  # created + reopened - solved from the day after the period to today


def durations(figures: Figures, calendar: str, business: str) -> Durations:
    cal, bus = figures.histogram(calendar), figures.histogram(business)
    return Durations(cal.total, cal.quantile(0.5), cal.quantile(0.9), bus.quantile(0.5), bus.quantile(0.9))


def within(rollups: Iterable[DayRollup], period: Period) -> list[DayRollup]:
    return [r for r in rollups if period.contains(r.day)]


def build_report(period: Period, comparison: Period, rollups: Rollups, group_by: str, open_now: int | None) -> Report:
    now_rows, before_rows = within(rollups.now, period), within(rollups.before, comparison)
    now, before = Figures.of(now_rows), Figures.of(before_rows, ("res_cal", *HIGH))
    solved, reopened = now.count("solved"), now.count("reopened")
    resolution = durations(now, "res_cal", "res_bus")
    resolution_before = before.histogram("res_cal").quantile(0.5)
    per_agent, per_agent_before = _solved_per_agent(now_rows), _solved_per_agent(before_rows)
    good, bad = now.count("csat_good"), now.count("csat_bad")
    report = Report(
        created=now.count("created"),
        solved=solved,
        reopened=reopened,
        reopen_rate=ratio(reopened, solved),
        replies_per_solved=ratio(now.count("replies"), solved),
        first_response=durations(now, "frt_cal", "frt_bus"),
        first_response_by_priority=_by_priority(now),
        resolution=resolution,
        resolution_previous_p50=resolution_before,
        resolution_change=change(resolution.p50, resolution_before),
        resolved_24h_share=ratio(now.count("resolved_24h"), solved),
        solved_per_agent=per_agent,
        solved_per_agent_previous=per_agent_before,
        solved_per_agent_change=change(per_agent, per_agent_before),
        sla=[_sla(now, target) for target in SLA_TARGETS],
        csat_good=good,
        csat_bad=bad,
        csat_score=ratio(good, good + bad),
        goals=[],
        groups=_groups(rollups, now_rows, period, comparison, group_by),
        top_tags=_top(per_value(now_rows, "t_"), per_value(before_rows, "t_")),
        top_words=_top(
            per_value(within(rollups.words_now, period), "w_"),
            per_value(within(rollups.words_before, comparison), "w_"),
        ),
        backlog_over_time=_backlog(now_rows, period, open_now, rollups.net_after_period),
    )
    report.goals = _goals(report, now, before, now_rows, period)
    return report


def _sla(figures: Figures, target: str) -> SlaCompliance:
    met, breached = figures.count(f"sla_{target}_met"), figures.count(f"sla_{target}_breached")
    return SlaCompliance(target, met, breached, ratio(met, met + breached))


def _solved_per_agent(rows: Iterable[DayRollup]) -> float | None:
    agents = [n for agent, n in per_value(rows, "a_").items() if agent != NO_AGENT and n > 0]
    return sum(agents) / len(agents) if agents else None


def _by_priority(figures: Figures) -> list[PriorityResponse]:
    out = []
    for priority in ("urgent", "high", "normal", "low"):
        histogram = figures.histogram(f"frt_{priority}")
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


def _groups(
    rollups: Rollups, now_rows: list[DayRollup], period: Period, comparison: Period, group_by: str
) -> list[GroupRow]:
    by_time = group_by in ("day", "week")
    now: dict[str, list[DayRollup]] = defaultdict(list)
    before: dict[str, list[DayRollup]] = defaultdict(list)
    for row in now_rows if by_time else within(rollups.group_now, period):
        now[_group_key(row, group_by)].append(row)
    if not by_time:
        for row in within(rollups.group_before, comparison):
            before[_group_key(row, group_by)].append(row)
    if by_time:  # every day (week) of the period has its row, quiet ones too
        for day in period.each_day():
            now.setdefault(_group_key(DayRollup(day, "", ""), group_by), [])
    rows = []
    for key in sorted(now):
        figures, previous = Figures.of(now[key], CALENDAR), Figures.of(before.get(key, []), ())
        solved = figures.count("solved")
        first, res = figures.histogram("frt_cal"), figures.histogram("res_cal")
        sla_met = sum(figures.count(f"sla_{t}_met") for t in SLA_TARGETS)
        sla_all = sla_met + sum(figures.count(f"sla_{t}_breached") for t in SLA_TARGETS)
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
    if not by_time:
        rows.sort(key=lambda r: (-r.solved, -r.created, r.key))
    return rows


def _top(now: Counter[str], before: Counter[str]) -> list[TermRow]:
    ranked = sorted((t for t in now if now[t] > 0), key=lambda t: (-now[t], t))[:TOP]
    return [TermRow(t, now[t], before[t], change(now[t], before[t])) for t in ranked]


def _net(row: DayRollup) -> int:
    return row_count(row, "created") + row_count(row, "reopened") - row_count(row, "solved")


def row_count(row: DayRollup, counter: str) -> int:
    return int(row.figures.get(counter_attr(counter), 0))


def net_change(rows: Iterable[DayRollup]) -> int:
    """Created and reopened less solved: how much the backlog grew over the rows' days."""
    return sum(_net(row) for row in rows)


def _backlog(
    now_rows: list[DayRollup], period: Period, open_now: int | None, net_after: int | None
) -> list[BacklogPoint]:
    """Open tickets at the end of each day: today's count, walked back through each day's net change."""
    if open_now is None or net_after is None:
        return [BacklogPoint(day.isoformat(), None) for day in period.each_day()]
    net: Counter[date] = Counter()
    for row in now_rows:
        net[row.day] += _net(row)
    points = []
    level = open_now - net_after
    for day in reversed(period.each_day()):
        points.append(BacklogPoint(day.isoformat(), max(level, 0)))
        level -= net[day]
    points.reverse()
    return points


def _daily(rows: Sequence[DayRollup], period: Period) -> dict[date, Figures]:
    grouped: dict[date, list[DayRollup]] = defaultdict(list)
    for row in rows:
        grouped[row.day].append(row)
    return {day: Figures.of(grouped.get(day, []), ("res_cal", *HIGH)) for day in period.each_day()}


def _goals(report: Report, now: Figures, before: Figures, now_rows: list[DayRollup], period: Period) -> list[GoalCard]:
    first_response = now.histogram(*HIGH).quantile(0.5)
    daily = _daily(now_rows, period)
    days = period.each_day()
    previous_24h = ratio(before.count("resolved_24h"), before.count("solved"))
    return [
        GoalCard(
            key="first_response_high",
            label="First response, high priority (median)",
            value=first_response,
            previous=before.histogram(*HIGH).quantile(0.5),
            goal=float(FIRST_RESPONSE_GOAL_SECONDS),
            unit="seconds",
            met=None if first_response is None else first_response <= FIRST_RESPONSE_GOAL_SECONDS,
            trend=[daily[d].histogram(*HIGH).quantile(0.5) for d in days],
        ),
        GoalCard(
            key="resolved_within_24h",
            label="Resolved within 24 hours",
            value=report.resolved_24h_share,
            previous=previous_24h,
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
