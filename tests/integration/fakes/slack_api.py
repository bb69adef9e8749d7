"""Slack's Web API as far as Pulsedesk uses it: ``chat.postMessage`` with a bot token, answering
HTTP 429 with ``Retry-After`` when told to, as Slack does when a workspace posts too fast;
``users.info`` for the emails of known Slack users; and a ``response_url`` that records what an
interaction's answer said."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from tests.integration.fakes.http_server import LoopbackServer, QuietHandler

TOKEN = "xoxb-local-test-token"


@dataclass
class FakeSlack:
    token: str = TOKEN
    messages: list[dict[str, Any]] = field(default_factory=list)
    rate_limited: list[float] = field(default_factory=list)
    retry_after_seconds: int = 1
    users: dict[str, str] = field(default_factory=dict)  # Slack user id -> email
    responses: list[dict[str, Any]] = field(default_factory=list)  # posted to the response_url
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
        if self.path.rstrip("/") != "/api/chat.postMessage":
            self.answer(404, b'{"ok": false, "error": "unknown_method"}')
            return
        status, answer, headers = fake._post_message(self.headers.get("Authorization") or "", body)
        self.answer(status, json.dumps(answer).encode(), headers)
