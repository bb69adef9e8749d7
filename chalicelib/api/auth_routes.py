from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import (
    LoginIn,
    LogoutIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RefreshIn,
    SignupConfirmIn,
    SignupIn,
)
from chalicelib.contracts.responses import MeOut, PasswordResetAcceptedOut, SignupAcceptedOut, TokensOut

router = Router(__name__, tag="auth")


@router.route(
    "/auth/signup",
    "POST",
    access="public",
    body=SignupIn,
    response=SignupAcceptedOut,
    status=202,
    summary="Ask for a workspace: emails the admin a link that confirms the address (the same answer "
    "whether or not the address is free)",
    rate_limit="signup.ip",
)
def request_signup(call: Call[SignupIn, Any]) -> dict[str, Any]:
    from chalicelib.services import signup

    return signup.request_signup(**call.body.model_dump())


@router.route(
    "/auth/signup/confirm",
    "POST",
    access="public",
    body=SignupConfirmIn,
    response=TokensOut,
    status=201,
    summary="Confirm the emailed link: creates the workspace and its admin and signs the admin in "
    "(409 naming workspace_slug if the address was taken; retry with another)",
    rate_limit="auth.ip",
)
def confirm_signup(call: Call[SignupConfirmIn, Any]) -> TokensOut:
    from chalicelib.services import signup

    return signup.confirm_signup(**call.body.model_dump())


@router.route(
    "/auth/login",
    "POST",
    access="public",
    body=LoginIn,
    response=TokensOut,
    summary="Sign in with workspace, email and password",
    rate_limit="auth.ip",
)
def login(call: Call[LoginIn, Any]) -> TokensOut:
    from chalicelib.services import identity

    return identity.login(**call.body.model_dump())


@router.route(
    "/auth/password-reset",
    "POST",
    access="public",
    body=PasswordResetIn,
    response=PasswordResetAcceptedOut,
    status=202,
    summary="Forgot password: emails the account a one-time link to choose a new password (the same "
    "answer whether or not the workspace or account exists)",
    rate_limit="auth.ip",
)
def request_password_reset(call: Call[PasswordResetIn, Any]) -> dict[str, Any]:
    from chalicelib.services import password_reset

    return password_reset.request_reset(**call.body.model_dump())


@router.route(
    "/auth/password-reset/confirm",
    "POST",
    access="public",
    body=PasswordResetConfirmIn,
    status=204,
    summary="Set a new password with the emailed link's token: ends every session and access token "
    "of the account (422 naming token for a used or expired link, password for a weak one)",
    rate_limit="auth.ip",
)
def confirm_password_reset(call: Call[PasswordResetConfirmIn, Any]) -> Reply:
    from chalicelib.services import password_reset

    password_reset.confirm_reset(**call.body.model_dump())
    return Reply(None, 204)


@router.route(
    "/auth/refresh",
    "POST",
    access="public",
    body=RefreshIn,
    response=TokensOut,
    summary="Trade a refresh token for new tokens (the old one stops working)",
    rate_limit="auth.ip",
)
def refresh(call: Call[RefreshIn, Any]) -> TokensOut:
    from chalicelib.services import identity

    return identity.refresh(refresh_token=call.body.refresh_token)


@router.route(
    "/auth/logout",
    "POST",
    access="signed-in",
    body=LogoutIn,
    status=204,
    summary="End the session of the given refresh token",
)
def logout(call: Call[LogoutIn, Any]) -> Reply:
    from chalicelib.services import identity

    identity.logout(call.principal, call.body.refresh_token)
    return Reply(None, 204)


@router.route("/me", "GET", access="signed-in", response=MeOut, summary="The caller, its workspace and permissions")
def me(call: Call[Any, Any]) -> MeOut:
    from chalicelib.services import identity

    return identity.me(call.principal)
