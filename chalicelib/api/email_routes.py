from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import EmailAddressIn
from chalicelib.contracts.responses import (
    AttachmentLinkOut,
    EmailAddressOut,
    EmailSettingsOut,
    EmailTestSentOut,
    EmailTestStatusOut,
)
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="email")


@router.route(
    "/settings/email",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=EmailSettingsOut,
    summary="The workspace's support address, its additional addresses, and how to forward mail to them",
)
def get_email_settings(call: Call[Any, Any]) -> EmailSettingsOut:
    from chalicelib.services import email_settings

    return email_settings.email_settings(call.principal)


@router.route(
    "/settings/email/addresses",
    "POST",
    access=Permission.SETTINGS_MANAGE,
    body=EmailAddressIn,
    response=EmailAddressOut,
    status=201,
    summary="Add an address <slug>+<name>@ whose mail opens tickets in a queue",
)
def add_email_address(call: Call[EmailAddressIn, Any]) -> EmailAddressOut:
    from chalicelib.services import email_settings

    return email_settings.add_address(call.principal, call.body.name, call.body.queue)


@router.route(
    "/settings/email/addresses/{id}",
    "DELETE",
    access=Permission.SETTINGS_MANAGE,
    status=204,
    summary="Remove an address",
)
def delete_email_address(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import email_settings

    email_settings.delete_address(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/settings/email/test",
    "POST",
    access=Permission.SETTINGS_MANAGE,
    response=EmailTestSentOut,
    status=202,
    summary="Send a real email to the support address; it should come back as a ticket",
)
def send_test_email(call: Call[Any, Any]) -> EmailTestSentOut:
    from chalicelib.services import email_test

    return email_test.send_test_email(call.principal)


@router.route(
    "/settings/email/tests/{message_id}",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=EmailTestStatusOut,
    summary="Whether a test email came back, and the ticket it made",
)
def get_test_email(call: Call[Any, Any]) -> EmailTestStatusOut:
    from chalicelib.services import email_test

    return email_test.test_status(call.principal, call.path["message_id"])


@router.route(
    "/tickets/{id}/attachments/{attachment_id}",
    "GET",
    access=Permission.TICKETS_READ,
    response=AttachmentLinkOut,
    summary="A short-lived link that downloads one of the ticket's attachments",
)
def get_attachment(call: Call[Any, Any]) -> AttachmentLinkOut:
    from chalicelib.services import attachments

    return attachments.attachment_link(call.principal, call.path["id"], call.path["attachment_id"])
