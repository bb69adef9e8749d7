from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import InvitationAcceptIn, InvitationIn, PasswordChangeIn
from chalicelib.contracts.people import InvitationListOut, InvitationOut
from chalicelib.contracts.responses import TokensOut
from chalicelib.contracts.sessions import MySessionListOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="people")


@router.route(
    "/invitations",
    "POST",
    access=Permission.USERS_MANAGE,
    body=InvitationIn,
    response=InvitationOut,
    status=201,
    summary="Invite someone by email: a one-time link (7 days) to choose their name and password; "
    "no account exists until they accept",
)
def invite(call: Call[InvitationIn, Any]) -> InvitationOut:
    from chalicelib.services import invitations

    return invitations.invite(call.principal, str(call.body.email), call.body.role)


@router.route(
    "/invitations",
    "GET",
    access=Permission.USERS_MANAGE,
    response=InvitationListOut,
    summary="Invitations not accepted yet",
)
def list_invitations(call: Call[Any, Any]) -> InvitationListOut:
    from chalicelib.services import invitations

    return invitations.list_invitations(call.principal)


@router.route(
    "/invitations/{id}/resend",
    "POST",
    access=Permission.USERS_MANAGE,
    response=InvitationOut,
    summary="Email a new link (the previous one stops working) valid for 7 more days",
)
def resend_invitation(call: Call[Any, Any]) -> InvitationOut:
    from chalicelib.services import invitations

    return invitations.resend(call.principal, call.path["id"])


@router.route(
    "/invitations/{id}",
    "DELETE",
    access=Permission.USERS_MANAGE,
    status=204,
    summary="Revoke an invitation: its link stops working",
)
def revoke_invitation(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import invitations

    invitations.revoke(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/auth/invitations/accept",
    "POST",
    access="public",
    body=InvitationAcceptIn,
    response=TokensOut,
    status=201,
    summary="Accept an invitation with the emailed link's token: makes the account and signs it in "
    "(422 naming token for a used, revoked or expired link)",
    rate_limit="auth.ip",
)
def accept_invitation(call: Call[InvitationAcceptIn, Any]) -> TokensOut:
    from chalicelib.services import invitations

    return invitations.accept(**call.body.model_dump())


@router.route(
    "/me/password",
    "POST",
    access="signed-in",
    body=PasswordChangeIn,
    status=204,
    summary="Change my password (the current one required): ends every other session",
    rate_limit="auth.ip",
)
def change_password(call: Call[PasswordChangeIn, Any]) -> Reply:
    from chalicelib.services import my_account

    my_account.change_password(call.principal, call.body.current_password, call.body.new_password)
    return Reply(None, 204)


@router.route(
    "/me/sessions",
    "GET",
    access="signed-in",
    response=MySessionListOut,
    summary="My sessions: device, where from, created, last used; the one making the request is marked",
)
def my_sessions(call: Call[Any, Any]) -> MySessionListOut:
    from chalicelib.services import my_account

    return my_account.my_sessions(call.principal)


@router.route(
    "/me/sessions/{id}",
    "DELETE",
    access="signed-in",
    status=204,
    summary="Sign one of my sessions out (its refresh token ends, and its access tokens with it)",
)
def end_my_session(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import my_account

    my_account.end_my_session(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/me/sessions/sign-out-everywhere",
    "POST",
    access="signed-in",
    status=204,
    summary="Sign out everywhere: every session and access token of mine ends, this one too",
)
def sign_out_everywhere(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import my_account

    my_account.sign_out_everywhere(call.principal)
    return Reply(None, 204)
