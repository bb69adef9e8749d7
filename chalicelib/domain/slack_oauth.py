"""'Add to Slack' (Slack's OAuth v2): the ``state`` an admin's browser carries to Slack and back, and the
authorize URL. Pure code.

The state is an HS256 JWT (PyJWT) under a key derived for this one purpose, naming the workspace, the
admin and the admin's sign-in session, valid for ten minutes, with a nonce the data layer spends once.
The callback is read by the signed-in app, so the state is checked against the caller's own session:
a state started by another admin, in another session, or in another workspace is refused, which is
what stops a forged callback (login CSRF) from connecting someone else's Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import jwt

from chalicelib.domain.errors import invalid

STATE_VALID_FOR = timedelta(minutes=10)
AUDIENCE = "pulsedesk:slack-oauth"
ALGORITHM = "HS256"
# chat:write posts alerts; users:read(.email) maps the "Take it" clicker to a person; incoming-webhook
# makes Slack ask the admin for the channel during the install.
SCOPES = ("chat:write", "users:read", "users:read.email", "incoming-webhook")
CALLBACK_PATH = "/settings/integrations/slack/callback"


@dataclass(frozen=True)
class OAuthState:
    tenant_id: str
    user_id: str
    session_id: str
    nonce: str
    expires_at: datetime


def state_token(key: bytes, state: OAuthState) -> str:
    claims = {
        "aud": AUDIENCE,
        "t": state.tenant_id,
        "u": state.user_id,
        "s": state.session_id,
        "n": state.nonce,
        "exp": int(state.expires_at.timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_state(key: bytes, token: str, now: datetime, tenant_id: str, user_id: str, session_id: str) -> OAuthState:
    """The state, if it is ours, unaltered, unexpired and started by this very admin in this session;
    otherwise a 422 on ``state`` saying to start again. Spending the nonce is the caller's job."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"verify_exp": False, "require": ["exp", "aud", "t", "u", "s", "n"]},
        )
    except jwt.InvalidTokenError as error:
        raise invalid("state", "is not one Pulsedesk issued; start 'Add to Slack' again") from error
    state = OAuthState(
        str(claims["t"]),
        str(claims["u"]),
        str(claims["s"]),
        str(claims["n"]),
        datetime.fromtimestamp(int(claims["exp"]), tz=now.tzinfo),
    )
    if (state.tenant_id, state.user_id, state.session_id) != (tenant_id, user_id, session_id):
        raise invalid("state", "was started by another sign-in; start 'Add to Slack' again from this one")
    if now >= state.expires_at:
        raise invalid("state", "has expired (it lasts ten minutes); start 'Add to Slack' again")
    return state


def authorize_url(authorize_base: str, client_id: str, state: str, redirect_uri: str) -> str:
    query = urlencode({"client_id": client_id, "scope": ",".join(SCOPES), "state": state, "redirect_uri": redirect_uri})
    return f"{authorize_base}?{query}"


def redirect_uri(public_base_url: str) -> str:
    """Slack sends the browser back to the app's page, which hands ``code`` and ``state`` to the API
    with the admin's own credentials (the API has no cookie session to bind a bare redirect to)."""
    return public_base_url.rstrip("/") + CALLBACK_PATH
