from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import PageQuery, WebhookCreateIn, WebhookPatchIn
from chalicelib.contracts.responses import (
    ConnectionTestOut,
    RedeliveryOut,
    WebhookCreatedOut,
    WebhookDeliveryListOut,
    WebhookListOut,
    WebhookOut,
)
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="webhooks")
MANAGE = Permission.WEBHOOKS_MANAGE


@router.route(
    "/webhooks",
    "POST",
    access=MANAGE,
    body=WebhookCreateIn,
    response=WebhookCreatedOut,
    status=201,
    summary="Add a webhook endpoint; its signing secret is shown once",
)
def create_webhook(call: Call[WebhookCreateIn, Any]) -> WebhookCreatedOut:
    from chalicelib.services import webhooks

    return webhooks.create_endpoint(call.principal, call.body.model_dump())


@router.route("/webhooks", "GET", access=MANAGE, response=WebhookListOut, summary="List webhook endpoints")
def list_webhooks(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import webhooks

    return webhooks.list_endpoints(call.principal)


@router.route("/webhooks/{id}", "GET", access=MANAGE, response=WebhookOut, summary="One webhook endpoint")
def get_webhook(call: Call[Any, Any]) -> WebhookOut:
    from chalicelib.services import webhooks

    return webhooks.get_endpoint(call.principal, call.path["id"])


@router.route(
    "/webhooks/{id}",
    "PATCH",
    access=MANAGE,
    body=WebhookPatchIn,
    response=WebhookOut,
    summary="Change an endpoint's URL, events or description, or enable it again",
)
def update_webhook(call: Call[WebhookPatchIn, Any]) -> WebhookOut:
    from chalicelib.services import webhooks

    return webhooks.update_endpoint(call.principal, call.path["id"], call.body.model_dump(exclude_unset=True))


@router.route("/webhooks/{id}", "DELETE", access=MANAGE, status=204, summary="Remove a webhook endpoint")
def delete_webhook(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import webhooks

    webhooks.delete_endpoint(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/webhooks/{id}/deliveries",
    "GET",
    access=MANAGE,
    query=PageQuery,
    response=WebhookDeliveryListOut,
    summary="The endpoint's delivery log, newest first: status, latency, attempt, error",
)
def list_webhook_deliveries(call: Call[Any, PageQuery]) -> dict[str, Any]:
    from chalicelib.services import webhooks

    return webhooks.list_deliveries(call.principal, call.path["id"], call.query.limit, call.query.cursor)


@router.route(
    "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    "POST",
    access=MANAGE,
    response=RedeliveryOut,
    status=202,
    summary="Send a logged event again (same webhook-id)",
)
def redeliver_webhook(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import webhooks

    return webhooks.redeliver(call.principal, call.path["id"], call.path["delivery_id"])


@router.route(
    "/webhooks/{id}/test",
    "POST",
    access=MANAGE,
    response=ConnectionTestOut,
    summary="Send a signed webhook.test event now and report the receiver's answer",
)
def test_webhook(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import webhooks

    return webhooks.test_endpoint(call.principal, call.path["id"])
