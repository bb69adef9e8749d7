"""Recording the deflection funnel (domain/deflection.py says what counts) and reading it back."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.contracts.help_center import FunnelDayOut, FunnelOut, HelpEventOut
from chalicelib.data import help_center as repo
from chalicelib.domain.clock import utcnow
from chalicelib.domain.deflection import FunnelStep, deflected
from chalicelib.domain.errors import invalid
from chalicelib.domain.principal import Principal
from chalicelib.services.help_center import help_centre_of

MAX_DAYS = 366


def record_event(slug: str, step: FunnelStep, session_id: str) -> HelpEventOut:
    """Counts the step once per session. A submission counts only after an opened suggestion, on the
    day that suggestion was opened."""
    tenant_id = help_centre_of(slug).tenant_id
    now = utcnow()
    if step == "submitted":
        if not repo.mark_session(tenant_id, session_id, "submitted", now, needs_opened=True):
            return HelpEventOut(counted=False)
        repo.count_step(tenant_id, repo.opened_day(tenant_id, session_id) or now.date().isoformat(), "submitted")
        return HelpEventOut(counted=True)
    if not repo.mark_session(tenant_id, session_id, step, now):
        return HelpEventOut(counted=False)
    repo.count_step(tenant_id, now.date().isoformat(), step)
    return HelpEventOut(counted=True)


DEFAULT_DAYS = 30


def funnel(principal: Principal, since: str | None, until: str | None) -> FunnelOut:
    last = _day(until, "until") if until else utcnow().date()
    first = _day(since, "since") if since else last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first or (last - first).days >= MAX_DAYS:
        raise invalid("until", f"must be on or after since, and at most {MAX_DAYS} days after it")
    stored = {s.day: s for s in repo.funnel_days(principal.tenant_id, first.isoformat(), last.isoformat())}
    days = []
    for offset in range((last - first).days + 1):
        day = (first + timedelta(days=offset)).isoformat()
        item = stored.get(day)
        suggested, opened, submitted = (
            (int(item.suggested or 0), int(item.opened or 0), int(item.submitted_after_open or 0))
            if item
            else (0, 0, 0)
        )
        days.append(
            FunnelDayOut(
                day=day,
                suggested=suggested,
                opened=opened,
                submitted_after_open=submitted,
                deflected=deflected(opened, submitted),
            )
        )
    return FunnelOut(
        days=days,
        suggested=sum(d.suggested for d in days),
        opened=sum(d.opened for d in days),
        submitted_after_open=sum(d.submitted_after_open for d in days),
        deflected=sum(d.deflected for d in days),
    )


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise invalid(field, "is not a date (YYYY-MM-DD)") from error
