"""Recomputing one day of a workspace's rollups from its tickets and their history, to repair drift
(a record that ended in a dead-letter queue, a bug since fixed). The scheduled job rebuilds the day
before; an operator can rebuild any days of one workspace (``python -m chalicelib.services.metrics_rebuild``
or ``make metrics-backfill``). Reads are Queries: the tickets changed since the day began (GSI
``by_updated``), then each one's history. Days are the workspace's (its time zone); a day of a closed
month or week is rebuilt with its month and week items, so a month and a week stay the sum of their
days. The live backlog counters (open, unassigned per scope) are recounted from the open tickets."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta

from chalicelib.data import identity
from chalicelib.data import metrics as rollups
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import HistoryItem
from chalicelib.domain.actors import ROUTER, Anonymous
from chalicelib.domain.actors import actor_from_dict as _actor
from chalicelib.domain.clock import utcnow
from chalicelib.domain.metrics_calendar import month_of, week_of
from chalicelib.domain.metrics_fold import STORED_DIMENSIONS, DayRollup, RollupDelta, accumulate, backlog_of, fold
from chalicelib.domain.metrics_history import Told, replayed
from chalicelib.domain.ticket_change import FieldChange
from chalicelib.domain.tickets import OPEN_STATUSES
from chalicelib.observability import logger
from chalicelib.services.metrics_calendar import (
    business_seconds_for,
    open_month_for,
    open_week_for,
    today_for,
    zone_for,
)
from chalicelib.services.metrics_recording import facts_of


def day_deltas(tenant_id: str, day: date) -> Iterator[RollupDelta]:
    """What every change made on ``day`` adds, told from the tickets' history."""
    return iter(period_deltas(tenant_id, day, day).get(day, []))


def period_deltas(tenant_id: str, first: date, last: date) -> dict[date, list[RollupDelta]]:
    """What every change made from ``first`` to ``last`` adds, by day: the tickets changed since
    ``first`` began are read once, each with its history (a backfill of many days reads each ticket
    once, not once per day)."""
    business, zone = business_seconds_for(tenant_id), zone_for(tenant_id)
    start = datetime.combine(first, time(), zone)
    by_day: dict[date, list[RollupDelta]] = {}
    for ticket in ticket_repo.tickets_updated_since(tenant_id, start):
        history = [_told(entry) for entry in ticket_repo.full_history(tenant_id, ticket.ticket_id)]
        for after, happening in replayed(facts_of(ticket), history):
            if happening.at < start:
                continue
            created = any(f.field == "created" for f in happening.fields)
            delta = fold(None if created else after, after, happening, business, zone)
            if delta is not None and first <= delta.day <= last:
                by_day.setdefault(delta.day, []).append(delta)
    return by_day


def _replace(tenant_id: str, day: date, deltas: Iterable[RollupDelta]) -> int:
    computed = accumulate(deltas)
    items = [DayRollup(day, dim.name, dim.value, acc.figures, acc.id_sets) for (_, dim), acc in computed.items()]
    written = rollups.replace_day(tenant_id, day, items, STORED_DIMENSIONS)
    logger.info("metrics rebuilt", extra={"tenant_id": tenant_id, "day": day.isoformat(), "items": written})
    return written


def rebuild_day(tenant_id: str, day: date, *, with_month: bool = True) -> int:
    """Replaces the day's rollups with the recomputed ones (and, for a day of a closed month or week,
    that month's and week's items); returns how many items were written."""
    written = _replace(tenant_id, day, day_deltas(tenant_id, day))
    if with_month and month_of(day) < open_month_for(tenant_id):
        written += rebuild_month(tenant_id, month_of(day))
    if with_month and week_of(day) < open_week_for(tenant_id):
        written += rebuild_week(tenant_id, week_of(day))
    return written


def rebuild_week(tenant_id: str, week: date) -> int:
    """Adds up a closed week's days (Monday to Sunday) into its week items: what a period of a few
    weeks reads instead of their days."""
    written = rollups.replace_week(tenant_id, week, [d for d in STORED_DIMENSIONS if d != "ids"])
    logger.info("metrics week built", extra={"tenant_id": tenant_id, "week": week.isoformat()})
    return written


def recount_backlog(tenant_id: str) -> int:
    """The live backlog counters set to what the open tickets count now (the consumer keeps them by
    adding each change's move; this repairs drift). Reads every open ticket: a job, never a request.
    A change applied by the consumer while the recount reads may be counted twice or not at all until
    the next recount, so the nightly job runs it when the desk is quiet."""
    open_tickets = (facts_of(t) for t in ticket_repo.tickets_in_statuses(tenant_id, OPEN_STATUSES))
    written = rollups.replace_backlog(tenant_id, backlog_of(open_tickets))
    logger.info("metrics backlog recounted", extra={"tenant_id": tenant_id, "scopes": written})
    return written


def rebuild_month(tenant_id: str, month: date) -> int:
    """Adds up a closed month's days into its month items (what a period of whole months reads)."""
    written = rollups.replace_month(tenant_id, month, [d for d in STORED_DIMENSIONS if d != "ids"])
    logger.info("metrics month built", extra={"tenant_id": tenant_id, "month": month.isoformat()[:7]})
    return written


def rebuild_days(tenant_id: str, days: Iterable[date]) -> int:
    """Rebuilds several days (the tickets read once for all of them), then each closed month they
    touch once: the backfill."""
    days = sorted(set(days))
    if not days:
        return 0
    by_day = period_deltas(tenant_id, days[0], days[-1])
    written = sum(_replace(tenant_id, day, by_day.get(day, [])) for day in days)
    open_month, open_week = open_month_for(tenant_id), open_week_for(tenant_id)
    for month in sorted({month_of(day) for day in days if month_of(day) < open_month}):
        written += rebuild_month(tenant_id, month)
    for week in sorted({week_of(day) for day in days if week_of(day) < open_week}):
        written += rebuild_week(tenant_id, week)
    return written


def rebuild_yesterday_everywhere(now: datetime | None = None) -> int:
    """The nightly repair: each workspace's yesterday (in its time zone), once a day; on the first
    day of a month that also builds the month just closed, on a Monday the week just closed; and the
    backlog counters recounted."""
    moment = now or utcnow()
    done = 0
    for entry in identity.all_registry_entries():
        yesterday = today_for(entry.tenant_id, moment) - timedelta(days=1)
        if entry.metrics_rebuilt_through is not None and entry.metrics_rebuilt_through >= yesterday.isoformat():
            continue
        rebuild_day(entry.tenant_id, yesterday)
        recount_backlog(entry.tenant_id)
        identity.mark_metrics_rebuilt(entry.tenant_id, yesterday.isoformat())
        done += 1
    return done


def _told(entry: HistoryItem) -> Told:
    actor = _actor(entry.actor or {})
    return Told(
        at=entry.at,
        actor=ROUTER if isinstance(actor, Anonymous) else actor,
        fields=tuple(FieldChange.from_dict(c) for c in entry.changes or ()),
    )


def backfill(tenant_id: str, days: int, today: date | None = None) -> int:
    """The ``days`` days before today of one workspace rebuilt from its tickets: a workspace whose
    tickets predate the metrics, or whose rollups drifted, gets its figures back. Today is left to the
    stream consumer, which is still adding to it (a rebuild replaces what it reads). The closed months
    and weeks the days touch are built, and the backlog counters recounted."""
    last = (today or today_for(tenant_id)) - timedelta(days=1)
    written = rebuild_days(tenant_id, (last - timedelta(days=n) for n in range(days)))
    return written + recount_backlog(tenant_id)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild a workspace's metrics rollups from its tickets.")
    parser.add_argument("--workspace", help="workspace slug (default: every workspace)")
    parser.add_argument("--days", type=int, default=90, help="how many days before today (default 90)")
    args = parser.parse_args(argv)
    if not 1 <= args.days <= 800:
        parser.error("--days must be between 1 and 800")
    if args.workspace is None:
        tenants = [entry.tenant_id for entry in identity.all_registry_entries()]
    else:
        found = identity.tenant_for_slug(args.workspace)
        if found is None:
            parser.error(f"no workspace {args.workspace!r}")
        tenants = [found]
    for tenant_id in tenants:
        written = backfill(tenant_id, args.days)
        print(f"workspace {tenant_id}: {args.days} days rebuilt, {written} rollup items written", flush=True)


if __name__ == "__main__":
    main()
