"""The one definition of a ticket waiting for an owner: open and nobody's. Automatic assignment,
its stream triggers and the Slack "still unassigned" alert all ask here."""

from __future__ import annotations

from chalicelib.domain.tickets import OPEN_STATUSES


def waits_for_owner(assignee_id: str | None, status: str | None) -> bool:
    return not assignee_id and status in OPEN_STATUSES
