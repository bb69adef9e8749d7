"""Recomputing one day of a workspace's rollups from its tickets and their history, to repair drift
(a record that ended in a dead-letter queue, a bug since fixed). The scheduled job rebuilds the day
before; an operator can rebuild any day of one workspace. Reads are Queries: the tickets changed
since the day began (GSI ``by_updated``), then each one's history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.data import identity
from chalicelib.data import metrics as rollups
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import HistoryItem
from chalicelib.domain.actors import ROUTER, Anonymous
from chalicelib.domain.actors import actor_from_dict as _actor
from chalicelib.domain.clock import utcnow
from chalicelib.domain.metrics_fold import ALL, DIMENSIONS, WORDS, DayRollup, RollupDelta, accumulate, fold
from chalicelib.domain.metrics_history import Told, replayed
from chalicelib.domain.ticket_change import FieldChange
from chalicelib.observability import logger
from chalicelib.services.metrics_calendar import business_seconds_for
from chalicelib.services.metrics_recording import facts_of


def day_deltas(tenant_id: str, day: date) -> Iterator[RollupDelta]:
    """What every change made on ``day`` adds, told from the tickets' history."""
    business = business_seconds_for(tenant_id)
    start = datetime.combine(day, time(), UTC)
    for ticket in ticket_repo.tickets_updated_since(tenant_id, start):
        history = [_told(entry) for entry in ticket_repo.full_history(tenant_id, ticket.ticket_id)]
        for after, happening in replayed(facts_of(ticket), history):
            if happening.at.date() != day:
                continue
            created = any(f.field == "created" for f in happening.fields)
            delta = fold(None if created else after, after, happening, business)
            if delta is not None:
                yield delta


def rebuild_day(tenant_id: str, day: date) -> int:
    """Replaces the day's rollups with the recomputed ones; returns how many items were written."""
    computed = accumulate(day_deltas(tenant_id, day))
    items = [DayRollup(day, dim.name, dim.value, acc.figures, acc.id_sets) for (_, dim), acc in computed.items()]
    written = rollups.replace_day(tenant_id, day, items, (ALL, WORDS, *DIMENSIONS))
    logger.info("metrics rebuilt", extra={"tenant_id": tenant_id, "day": day.isoformat(), "items": written})
    return written


def rebuild_yesterday_everywhere(now: datetime | None = None) -> int:
    """The nightly repair: yesterday (UTC) for every workspace, once a day."""
    today = (now or utcnow()).date()
    yesterday = today - timedelta(days=1)
    done = 0
    for entry in identity.all_registry_entries():
        if entry.metrics_rebuilt_through is not None and entry.metrics_rebuilt_through >= yesterday.isoformat():
            continue
        rebuild_day(entry.tenant_id, yesterday)
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
