"""The customer portal: passwordless sign-in, a requester's own requests, the public web form, and
the admins' portal settings."""

from __future__ import annotations

from typing import Any

from chalicelib.api.help_schemas import RatingIn
from chalicelib.api.portal_schemas import (
    PortalLinkIn,
    PortalReplyIn,
    PortalRequestIn,
    PortalRequestListQuery,
    PortalSettingsIn,
    PortalSignInIn,
    PortalUploadIn,
    WebRequestIn,
)
from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import UploadIn
from chalicelib.contracts.portal import (
    PortalAcceptedOut,
    PortalConversationOut,
    PortalReplyOut,
    PortalRequestListOut,
    PortalRequestOut,
    PortalSettingsOut,
    PortalUploadStartedOut,
    PortalWorkspaceOut,
    RequesterTokenOut,
    WebRequestConfirmedOut,
)
from chalicelib.contracts.responses import AttachmentLinkOut
from chalicelib.domain.permissions import Permission
from chalicelib.domain.reply_uploads import UploadRequest

router = Router(__name__, tag="portal")
OWN = Permission.REQUESTS_OWN


@router.route(
    "/portal/{slug}",
    "GET",
    access="public",
    response=PortalWorkspaceOut,
    summary="The workspace a portal address names (its name, and whether its web form is open)",
)
def portal_workspace(call: Call[Any, Any]) -> PortalWorkspaceOut:
    from chalicelib.services import portal_sign_in

    return portal_sign_in.workspace_for_slug(call.path["slug"])[1]


@router.route(
    "/portal/{slug}/sign-in",
    "POST",
    access="public",
    body=PortalSignInIn,
    response=PortalAcceptedOut,
    status=202,
    summary="Email a one-time sign-in link (15 minutes) to a requester: the same answer whether or not "
    "the address is known; 429 past the per-address or per-IP limit",
    rate_limit="portal_sign_in.ip",
)
def request_sign_in(call: Call[PortalSignInIn, Any]) -> PortalAcceptedOut:
    from chalicelib.services import portal_sign_in

    return portal_sign_in.request_sign_in(call.path["slug"], call.body.email)


@router.route(
    "/portal/{slug}/sign-in/confirm",
    "POST",
    access="public",
    body=PortalLinkIn,
    response=RequesterTokenOut,
    summary="Trade the emailed link's token for a requester token (422 naming token: used, expired or tampered)",
    rate_limit="auth.ip",
)
def confirm_sign_in(call: Call[PortalLinkIn, Any]) -> RequesterTokenOut:
    from chalicelib.services import portal_sign_in

    return portal_sign_in.confirm_sign_in(call.path["slug"], call.body.token)


@router.route(
    "/portal/{slug}/sign-out",
    "POST",
    access=OWN,
    status=204,
    summary="End every requester token of the caller",
)
def sign_out(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import portal_sign_in

    portal_sign_in.sign_out(call.principal, call.path["slug"])
    return Reply(None, 204)


@router.route(
    "/portal/{slug}/requests",
    "GET",
    access=OWN,
    query=PortalRequestListQuery,
    response=PortalRequestListOut,
    summary="The caller's own requests, open or solved, most recently updated first",
)
def list_requests(call: Call[Any, PortalRequestListQuery]) -> PortalRequestListOut:
    from chalicelib.services import portal_requests

    q = call.query
    return portal_requests.list_requests(call.principal, call.path["slug"], q.status, q.limit, q.cursor)


@router.route(
    "/portal/{slug}/requests",
    "POST",
    access=OWN,
    body=PortalRequestIn,
    response=PortalRequestOut,
    status=201,
    summary="Open a new request as the caller",
)
def new_request(call: Call[PortalRequestIn, Any]) -> PortalRequestOut:
    from chalicelib.services import portal_requests

    b = call.body
    return portal_requests.new_request(
        call.principal, call.path["slug"], b.subject, b.description, b.request_id, tuple(b.attachments)
    )


@router.route(
    "/portal/{slug}/uploads",
    "POST",
    access=OWN,
    body=PortalUploadIn,
    response=PortalUploadStartedOut,
    status=201,
    summary="Start a file for a new request (a presigned S3 POST for exactly this file; the limits of an "
    "inbound email); its answer's request_id goes with the request's other files and the request",
)
def start_request_upload(call: Call[PortalUploadIn, Any]) -> PortalUploadStartedOut:
    from chalicelib.services import portal_uploads

    b = call.body
    upload = UploadRequest(b.filename, b.content_type, b.size)
    return portal_uploads.start_request_upload(call.principal, call.path["slug"], b.request_id, upload)


@router.route(
    "/portal/{slug}/requests/{ticket_id}/uploads",
    "POST",
    access=OWN,
    body=UploadIn,
    response=PortalUploadStartedOut,
    status=201,
    summary="Start a file for a reply on one of the caller's requests (a presigned S3 POST for exactly this file)",
)
def start_reply_upload(call: Call[UploadIn, Any]) -> PortalUploadStartedOut:
    from chalicelib.services import portal_uploads

    upload = UploadRequest(call.body.filename, call.body.content_type, call.body.size)
    return portal_uploads.start_reply_upload(call.principal, call.path["slug"], call.path["ticket_id"], upload)


@router.route(
    "/portal/{slug}/requests/{ticket_id}/attachments/{attachment_id}",
    "GET",
    access=OWN,
    response=AttachmentLinkOut,
    summary="A short-lived link that downloads a file of one of the caller's requests (its public messages' only)",
)
def download_attachment(call: Call[Any, Any]) -> AttachmentLinkOut:
    from chalicelib.services import portal_uploads

    p = call.path
    return portal_uploads.download_link(call.principal, p["slug"], p["ticket_id"], p["attachment_id"])


@router.route(
    "/portal/{slug}/requests/{ticket_id}/rating",
    "POST",
    access=OWN,
    body=RatingIn,
    response=PortalRequestOut,
    summary='Answer "How did we do?" on a solved request (good or bad, a comment if you like); the last answer counts',
)
def rate_request(call: Call[RatingIn, Any]) -> PortalRequestOut:
    from chalicelib.services import portal_requests

    p, b = call.path, call.body
    return portal_requests.rate(call.principal, p["slug"], p["ticket_id"], b.rating, b.comment)


@router.route(
    "/portal/{slug}/requests/{ticket_id}",
    "GET",
    access=OWN,
    response=PortalConversationOut,
    summary="One of the caller's requests with its public conversation (404 for anyone else's)",
)
def get_request(call: Call[Any, Any]) -> PortalConversationOut:
    from chalicelib.services import portal_requests

    return portal_requests.get_request(call.principal, call.path["slug"], call.path["ticket_id"])


@router.route(
    "/portal/{slug}/requests/{ticket_id}/replies",
    "POST",
    access=OWN,
    body=PortalReplyIn,
    response=PortalReplyOut,
    status=201,
    summary="Reply on one of the caller's requests (reopens a solved one)",
)
def reply(call: Call[PortalReplyIn, Any]) -> PortalReplyOut:
    from chalicelib.services import portal_requests

    p, b = call.path, call.body
    return portal_requests.reply(call.principal, p["slug"], p["ticket_id"], b.body, tuple(b.attachments))


@router.route(
    "/portal/{slug}/requests/{ticket_id}/solve",
    "POST",
    access=OWN,
    response=PortalRequestOut,
    summary="Mark one of the caller's requests solved",
)
def mark_solved(call: Call[Any, Any]) -> PortalRequestOut:
    from chalicelib.services import portal_requests

    return portal_requests.mark_solved(call.principal, call.path["slug"], call.path["ticket_id"])


@router.route(
    "/portal/{slug}/web-requests",
    "POST",
    access="public",
    body=WebRequestIn,
    response=PortalAcceptedOut,
    status=202,
    summary="The public web form: emails the address a link that sends the request when clicked "
    "(404 when the form is off; 429 past the per-IP or per-workspace limit)",
    rate_limit="web_form.ip",
)
def submit_web_request(call: Call[WebRequestIn, Any]) -> PortalAcceptedOut:
    from chalicelib.services import web_form

    b = call.body
    return web_form.submit(call.path["slug"], b.email, b.name, b.subject, b.description, b.website)


@router.route(
    "/portal/{slug}/web-requests/confirm",
    "POST",
    access="public",
    body=PortalLinkIn,
    response=WebRequestConfirmedOut,
    status=201,
    summary="Confirm the emailed link: opens the request and signs its requester in to the portal",
    rate_limit="auth.ip",
)
def confirm_web_request(call: Call[PortalLinkIn, Any]) -> WebRequestConfirmedOut:
    from chalicelib.services import web_form

    return web_form.confirm(call.path["slug"], call.body.token)


@router.route(
    "/portal-settings",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=PortalSettingsOut,
    summary="Whether the public web form is open, and the queue it feeds",
)
def get_settings(call: Call[Any, Any]) -> PortalSettingsOut:
    from chalicelib.services import portal_settings

    return portal_settings.get_portal_settings(call.principal)


@router.route(
    "/portal-settings",
    "PUT",
    access=Permission.SETTINGS_MANAGE,
    body=PortalSettingsIn,
    response=PortalSettingsOut,
    summary="Open or close the public web form and choose its queue",
)
def put_settings(call: Call[PortalSettingsIn, Any]) -> PortalSettingsOut:
    from chalicelib.services import portal_settings

    b = call.body
    return portal_settings.put_portal_settings(call.principal, b.web_form_enabled, b.web_form_queue, b.version)
