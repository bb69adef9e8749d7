"""A thin JSON client over chalice.test.Client, and a workspace factory."""

from __future__ import annotations

import email
import email.policy
import json
import uuid
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from tests.signup_mail import token_in

if TYPE_CHECKING:
    from chalicelib.contracts.responses import TokensOut

PASSWORD = "correct horse battery"


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    request_id: str | None = None


class ApiClient:
    def __init__(self, client: Any) -> None:
        self._client = client
        self._last_request_id: str | None = None
        self._source_ip: str | None = None
        self._give_each_request_an_id()

    @property
    def chalice(self) -> Any:
        """The underlying chalice.test.Client, e.g. for ``lambda_.invoke``."""
        return self._client

    def _give_each_request_an_id(self) -> None:
        """API Gateway puts a request id in ``requestContext``; Chalice's local gateway does not. Add one."""
        converter = self._client.http._local_gateway.event_converter
        create_event = converter.create_lambda_event

        def create_event_with_request_id(*args: Any, **kwargs: Any) -> dict[str, Any]:
            event: dict[str, Any] = create_event(*args, **kwargs)
            self._last_request_id = f"req-{uuid.uuid4().hex}"
            event["requestContext"]["requestId"] = self._last_request_id
            if self._source_ip:
                event["requestContext"]["identity"]["sourceIp"] = self._source_ip
            return event

        converter.create_lambda_event = create_event_with_request_id

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        json_body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        source_ip: str | None = None,
    ) -> Reply:
        """``source_ip`` is the caller's address as API Gateway would report it (127.0.0.1 if unset)."""
        sent = {"content-type": "application/json", **(headers or {})}
        if token:
            sent["authorization"] = f"Bearer {token}"
        body = raw if raw is not None else (json.dumps(json_body).encode() if json_body is not None else b"")
        self._last_request_id = None
        self._source_ip = source_ip
        response = self._client.http.request(method, "/api/v1" + path, headers=sent, body=body)
        text = response.body.decode() if response.body else ""
        return Reply(
            response.status_code, json.loads(text) if text else None, dict(response.headers), self._last_request_id
        )

    def get(self, path: str, token: str | None = None, **kw: Any) -> Reply:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Reply:
        return self.call("POST", path, token, json_body=body, **kw)

    def patch(self, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Reply:
        return self.call("PATCH", path, token, json_body=body, **kw)

    def put(self, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Reply:
        return self.call("PUT", path, token, json_body=body, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> Reply:
        return self.call("DELETE", path, token, **kw)


@dataclass
class Member:
    id: str
    email: str
    role: str
    token: str
    refresh_token: str


@dataclass
class Workspace:
    slug: str
    tenant_id: str
    members: dict[str, Member] = field(default_factory=dict)

    def token(self, role: str) -> str:
        return self.members[role].token


def latest_email_to(address: str) -> email.message.EmailMessage:
    """The newest message moto's SES accepted for ``address`` (read in-process, newest first)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    for message in reversed(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages):
        destinations = [parseaddr(d)[1].lower() for d in getattr(message, "destinations", None) or []]
        if address.lower() in destinations:
            parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
            assert isinstance(parsed, email.message.EmailMessage)
            return parsed
    raise AssertionError(f"no email was sent to {address}")


def signup_token(address: str) -> str:
    """The token of the confirmation link in the newest email to ``address``."""
    body = latest_email_to(address).get_body(preferencelist=("plain",))
    assert body is not None
    return token_in(body.get_content())


def sign_up(api: ApiClient, body: dict[str, Any], workspace_slug: str | None = None) -> Reply:
    """The whole real way: ask, read the emailed link, confirm it. Answers the confirmation."""
    asked = api.post("/auth/signup", body)
    assert asked.status == 202, asked.body
    confirm: dict[str, Any] = {"token": signup_token(body["email"])}
    if workspace_slug:
        confirm["workspace_slug"] = workspace_slug
    return api.post("/auth/signup/confirm", confirm)


def new_workspace(api: ApiClient, roles: tuple[str, ...] = ("lead", "agent", "viewer")) -> Workspace:
    slug = f"ws-{uuid.uuid4().hex[:10]}"
    admin_email = f"admin@{slug}.example.com"
    reply = sign_up(
        api,
        {
            "workspace_name": f"Team {slug}",
            "workspace_slug": slug,
            "name": "Ada Admin",
            "email": admin_email,
            "password": PASSWORD,
        },
    )
    assert reply.status == 201, reply.body
    workspace = Workspace(slug, _tenant_of(reply.body["access_token"]))
    workspace.members["admin"] = Member(
        reply.body["user"]["id"], admin_email, "admin", reply.body["access_token"], reply.body["refresh_token"]
    )
    for role in roles:
        email = f"{role}@{slug}.example.com"
        created = api.post(
            "/users",
            {"name": f"{role.title()} Person", "email": email, "role": role, "password": PASSWORD},
            workspace.token("admin"),
        )
        assert created.status == 201, created.body
        tokens = _signed_in(workspace.tenant_id, created.body["id"])
        workspace.members[role] = Member(created.body["id"], email, role, tokens.access_token, tokens.refresh_token)
    return workspace


def _tenant_of(access_token: str) -> str:
    """The workspace a token of ours names (its ``tid``; the signature is the server's to check)."""
    import jwt

    return str(jwt.decode(access_token, options={"verify_signature": False})["tid"])


def _signed_in(tenant_id: str, user_id: str) -> TokensOut:
    """The session a sign-in starts once the password is checked (``services.identity.start_session``): every
    test builds a workspace of four, and signing the three members in through ``/auth/login`` was a sixth of
    the API layer's time. The whole way is tested where sign-in is (tests/api/test_auth.py)."""
    from chalicelib.data import identity
    from chalicelib.services.identity import start_session

    user = identity.get_user(tenant_id, user_id)
    assert user is not None
    return start_session(user, "auth.login")


def new_api_key(api: ApiClient, workspace: Workspace, scopes: list[str], name: str = "Integration") -> str:
    """Creates a key as the workspace admin and returns its secret (``pdk_...``)."""
    reply = api.post("/api-keys", {"name": name, "scopes": scopes}, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return str(reply.body["secret"])


def login(api: ApiClient, workspace: Workspace, email: str, password: str = PASSWORD) -> Reply:
    return api.post("/auth/login", {"workspace": workspace.slug, "email": email, "password": password})


def audit_events(api: ApiClient, workspace: Workspace, limit: int = 100) -> list[dict[str, Any]]:
    """The newest ``limit`` audit events of the workspace, newest first."""
    reply = api.get(f"/audit?limit={limit}", workspace.token("admin"))
    assert reply.status == 200, reply.body
    return list(reply.body["items"])
