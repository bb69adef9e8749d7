"""An integrator's webhook receiver: verifies every request with the ``standardwebhooks`` package
(as the specification's reference library), answers 401 to a bad signature and can be told to fail
the first N attempts of each message with 500."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.integration.fakes.http_server import LoopbackServer, QuietHandler


@dataclass
class Received:
    path: str
    webhook_id: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Route:
    secret: str
    fail_first: int
    attempts: dict[str, int] = field(default_factory=dict)


class WebhookReceiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    def start(self) -> WebhookReceiver:
        self._server = LoopbackServer(_Handler, self)
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    def url(self, path: str) -> str:
        assert self._server is not None
        return f"{self._server.url}{path}"

    def expect(self, path: str, secret: str, fail_first: int = 0) -> None:
        """Requests to ``path`` are verified with ``secret``; each message's first attempts fail."""
        with self._lock:
            self._routes[path] = _Route(secret, fail_first)

    def at(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    def accepted(self, path: str) -> list[Received]:
        return [r for r in self.at(path) if r.verified and r.status < 300]

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            route = self._routes.get(path)
            webhook_id = headers.get("webhook-id", "")
            verified = False
            if route is None:
                status = 404
            else:
                try:
                    Webhook(route.secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    verified = False
                attempt = route.attempts[webhook_id] = route.attempts.get(webhook_id, 0) + 1
                status = 401 if not verified else 500 if attempt <= route.fail_first else 200
            self.received.append(Received(path, webhook_id, headers, body, verified, status, time.time()))
            return status


class _Handler(QuietHandler):
    def do_POST(self) -> None:
        receiver: WebhookReceiver = self.server.owner  # type: ignore[attr-defined]
        body = self.read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        status = receiver.handle(self.path, headers, body)
        self.answer(status, json.dumps({"status": status}).encode())
