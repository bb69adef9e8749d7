from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import LoginIn, LogoutIn, MeOut, RefreshIn, SignupIn, TokensOut
from chalicelib.services import identity

router = Router(__name__, tag="auth")


@router.route(
    "/auth/signup",
    "POST",
    access="public",
    body=SignupIn,
    response=TokensOut,
    status=201,
    summary="Create a workspace and its first admin; signs the admin in",
    rate_limit="signup.ip",
)
def signup(call: Call[SignupIn, Any]) -> dict[str, Any]:
    return identity.signup(**call.body.model_dump())


@router.route(
    "/auth/login",
    "POST",
    access="public",
    body=LoginIn,
    response=TokensOut,
    summary="Sign in with workspace, email and password",
    rate_limit="auth.ip",
)
def login(call: Call[LoginIn, Any]) -> dict[str, Any]:
    return identity.login(**call.body.model_dump())


@router.route(
    "/auth/refresh",
    "POST",
    access="public",
    body=RefreshIn,
    response=TokensOut,
    summary="Trade a refresh token for new tokens (the old one stops working)",
    rate_limit="auth.ip",
)
def refresh(call: Call[RefreshIn, Any]) -> dict[str, Any]:
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
    identity.logout(call.principal, call.body.refresh_token)
    return Reply(None, 204)


@router.route("/me", "GET", access="signed-in", response=MeOut, summary="The caller, its workspace and permissions")
def me(call: Call[Any, Any]) -> dict[str, Any]:
    return identity.me(call.principal)
