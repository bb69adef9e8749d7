"""Dead letters: deliveries whose retry schedule ran out, and stream records a consumer gave up on
(services/stream_failures.py), kept per workspace for an admin to read and replay once."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.responses import DeadLetterOut
from chalicelib.data import integrations
from chalicelib.data.models import DeadLetterItem
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.delivery import Job
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.principal import Principal
from chalicelib.observability import logger, metrics
from chalicelib.services import stream_failures
from chalicelib.services.delivery_queue import enqueue


def dead_letter(job: Job, reason: str) -> None:
    integrations.add_dead_letter(
        job.tenant_id,
        utcnow(),
        channel=job.channel,
        event_type=job.event_type,
        target=job.target,
        error=reason[:1000],
        attempts=job.attempt,
        job=job.to_dict(),
    )
    metrics.add_metric(name="NotificationsDeadLettered", unit="Count", value=1)
    logger.warning(
        "notification dead-lettered",
        extra={"tenant_id": job.tenant_id, "channel": job.channel, "event_id": job.event.get("id"), "reason": reason},
    )


def list_dead_letters(principal: Principal, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = integrations.list_dead_letters(principal.tenant_id, limit, cursor)
    return {"items": [dead_letter_public(letter) for letter in items], "next_cursor": next_cursor}


def replay_dead_letter(principal: Principal, letter_id: str) -> DeadLetterOut:
    """Sends the job again from its first attempt. The replay key is the letter's id, so two admins
    replaying at once still send it once."""
    letter = integrations.get_dead_letter(principal.tenant_id, letter_id)
    if letter is None:
        raise NotFound("No such dead letter.")
    if letter.replayed_at is not None:
        raise Conflict("This dead letter was already replayed.", replayed_at=maybe_text(letter.replayed_at))
    if stream_failures.is_stream_letter(letter.job):
        stream_failures.request_replay(principal.tenant_id, letter_id)
    else:
        job = Job.from_dict(letter.job)
        enqueue([Job(job.tenant_id, job.channel, job.target, job.event, 1, job.extra, f"dead-letter:{letter_id}")])
    integrations.mark_replayed(
        letter,
        utcnow(),
        audit=AuditEntry(
            principal.as_actor(),
            "notification.replayed",
            AuditTarget("dead_letter", letter_id),
            after={"channel": letter.channel, "event_type": letter.event_type, "target": letter.target},
        ),
    )
    return dead_letter_public(letter)


def dead_letter_public(letter: DeadLetterItem) -> DeadLetterOut:
    return DeadLetterOut(
        id=letter.letter_id,
        at=to_text(letter.at),
        channel=letter.channel,
        event_type=letter.event_type,
        event_id=str(letter.job.get("event", {}).get("id", "")),
        target=letter.target,
        error=letter.error,
        attempts=int(letter.attempts),
        replayed_at=maybe_text(letter.replayed_at),
    )
