from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router
from chalicelib.api.schemas import NotificationPrefsIn, PageQuery
from chalicelib.contracts.responses import DeadLetterListOut, DeadLetterOut, NotificationPrefsOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="notifications")


@router.route(
    "/me/notifications",
    "GET",
    access="signed-in",
    response=NotificationPrefsOut,
    summary="Which emails I get",
)
def get_my_notifications(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import notification_prefs

    return notification_prefs.get_my_prefs(call.principal)


@router.route(
    "/me/notifications",
    "PUT",
    access="signed-in",
    body=NotificationPrefsIn,
    response=NotificationPrefsOut,
    summary="Choose which emails I get (omitted fields keep their value)",
)
def put_my_notifications(call: Call[NotificationPrefsIn, Any]) -> dict[str, Any]:
    from chalicelib.services import notification_prefs

    return notification_prefs.put_my_prefs(call.principal, call.body.model_dump(exclude_unset=True))


@router.route(
    "/notifications/dead-letters",
    "GET",
    access=Permission.INTEGRATIONS_MANAGE,
    query=PageQuery,
    response=DeadLetterListOut,
    summary="Notifications given up on after every retry, newest first",
)
def list_dead_letters(call: Call[Any, PageQuery]) -> dict[str, Any]:
    from chalicelib.services import dead_letters

    return dead_letters.list_dead_letters(call.principal, call.query.limit, call.query.cursor)


@router.route(
    "/notifications/dead-letters/{id}/replay",
    "POST",
    access=Permission.INTEGRATIONS_MANAGE,
    response=DeadLetterOut,
    status=202,
    summary="Send a dead letter again, from its first attempt",
)
def replay_dead_letter(call: Call[Any, Any]) -> DeadLetterOut:
    from chalicelib.services import dead_letters

    return dead_letters.replay_dead_letter(call.principal, call.path["id"])
