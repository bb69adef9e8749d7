"""Slack's Web API as far as Pulsedesk uses it: ``chat.postMessage`` with a bot token, answering
HTTP 429 with ``Retry-After`` when told to, as Slack does when a workspace posts too fast;
``users.info`` for the emails of known Slack users; a ``response_url`` that records what an
interaction's answer said; and "Add to Slack": an authorize page that approves at once and sends the
browser back with a one-time code, and ``oauth.v2.access`` that trades the code (with the app's client
id and secret, by HTTP Basic as slack-sdk sends them, and the same redirect_uri) for the bot token."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from tests.integration.fakes.http_server import LoopbackServer, QuietHandler

TOKEN = "xoxb-local-test-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # the shape of a real one: 32 hex digits
INSTALL_CHANNEL = "C0PULSE01"


@dataclass
class FakeSlack:
    token: str = TOKEN
    messages: list[dict[str, Any]] = field(default_factory=list)
    rate_limited: list[float] = field(default_factory=list)
    retry_after_seconds: int = 1
    users: dict[str, str] = field(default_factory=dict)  # Slack user id -> email
    responses: list[dict[str, Any]] = field(default_factory=list)  # posted to the response_url
    codes: dict[str, str] = field(default_factory=dict)  # one-time code -> the redirect_uri it was issued for
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    _limit_next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: LoopbackServer | None = None

    @property
    def api_url(self) -> str:
        assert self._server is not None
        return f"{self._server.url}/api/"

    def start(self) -> FakeSlack:
        self._server = LoopbackServer(_Handler, self)
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    @property
    def authorize_url(self) -> str:
        assert self._server is not None
        return f"{self._server.url}/oauth/v2/authorize"

    def _authorize(self, query: dict[str, str]) -> str:
        """Where the admin's browser goes after clicking "Allow": the redirect_uri with a fresh code."""
        with self._lock:
            self.authorize_requests.append(query)
            code = secrets.token_urlsafe(12)
            self.codes[code] = query.get("redirect_uri", "")
        return f"{query.get('redirect_uri', '')}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def _oauth_access(self, authorization: str, body: dict[str, str]) -> dict[str, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            redirect = self.codes.pop(body.get("code", ""), None)  # a code works once
        if redirect is None:
            return {"ok": False, "error": "invalid_code"}
        if body.get("redirect_uri", "") != redirect:
            return {"ok": False, "error": "bad_redirect_uri"}
        return {
            "ok": True,
            "access_token": self.token,
            "token_type": "bot",
            "scope": "chat:write,users:read,users:read.email,incoming-webhook",
            "bot_user_id": "U0PULSEBOT",
            "app_id": "A0PULSE",
            "team": {"id": "T0PULSE", "name": "Local Slack"},
            "incoming_webhook": {
                "channel": "#support",
                "channel_id": INSTALL_CHANNEL,
                "url": "https://hooks.invalid/x",
            },
        }

    @property
    def response_url(self) -> str:
        assert self._server is not None
        return f"{self._server.url}/actions/response"

    def rate_limit_next(self, times: int = 1) -> None:
        with self._lock:
            self._limit_next = times

    def messages_about(self, text: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.messages if text in json.dumps(m)]

    def _post_message(self, authorization: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            if authorization != f"Bearer {self.token}":
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if self._limit_next > 0:
                self._limit_next -= 1
                self.rate_limited.append(time.time())
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after_seconds)}
            if not body.get("channel"):
                return 200, {"ok": False, "error": "channel_not_found"}, {}
            ts = f"{time.time():.6f}"
            self.messages.append({**body, "ts": ts, "received_at": time.time()})
            return 200, {"ok": True, "channel": body["channel"], "ts": ts, "message": body}, {}

    def _user_info(self, authorization: str, user_id: str) -> dict[str, Any]:
        if authorization != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": user_id, "profile": {"email": self.users[user_id]}}}


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        fake: FakeSlack = self.server.owner  # type: ignore[attr-defined]
        path, _, query = self.path.partition("?")
        if path != "/oauth/v2/authorize":
            self.answer(404, b"not found", {"Content-Type": "text/plain"})
            return
        self.answer(302, b"", {"Location": fake._authorize(dict(parse_qsl(query))), "Content-Type": "text/plain"})

    def do_POST(self) -> None:
        fake: FakeSlack = self.server.owner  # type: ignore[attr-defined]
        raw = self.read_body().decode()
        if self.path == "/actions/response":
            with fake._lock:
                fake.responses.append(json.loads(raw))
            self.answer(200, b"ok")
            return
        if "json" in (self.headers.get("Content-Type") or ""):
            body = json.loads(raw or "{}")
        else:
            body = dict(parse_qsl(raw))
        if self.path.startswith("/api/users.info"):
            query = dict(parse_qsl(self.path.partition("?")[2]))
            user_id = body.get("user") or query.get("user", "")
            self.answer(200, json.dumps(fake._user_info(self.headers.get("Authorization") or "", user_id)).encode())
            return
        if self.path.startswith("/api/oauth.v2.access"):
            answer = fake._oauth_access(self.headers.get("Authorization") or "", body)
            self.answer(200, json.dumps(answer).encode())
            return
        if self.path.rstrip("/") != "/api/chat.postMessage":
            self.answer(404, b'{"ok": false, "error": "unknown_method"}')
            return
        status, answer, headers = fake._post_message(self.headers.get("Authorization") or "", body)
        self.answer(status, json.dumps(answer).encode(), headers)
