"""Pushing to sockets through the management API: a socket the gateway calls gone is forgotten at once, one it
refuses is kept (and reported), and closing forgets a socket whatever the gateway answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import pytest

from chalicelib.data import connections
from chalicelib.services.push import PushReport, close_connections, push
from tests.api.client import Workspace
from tests.api.notifications_support import overridden_settings


@dataclass
class Gateway:
    """The management API's stand-in: answers each connection's status (200 unless told), notes what it got."""

    url: str = ""
    statuses: dict[str, int] = field(default_factory=dict)
    posted: dict[str, list[bytes]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _connection_id(self) -> str:
            return unquote(self.path.rsplit("/@connections/", 1)[1])

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            gateway.posted.setdefault(self._connection_id(), []).append(body)
            self._answer(gateway.statuses.get(self._connection_id(), 200))

        def do_DELETE(self) -> None:
            gateway.deleted.append(self._connection_id())
            self._answer(gateway.statuses.get(self._connection_id(), 204))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway.url = f"http://127.0.0.1:{server.server_port}/test"
    with overridden_settings(PULSEDESK_WS_MANAGEMENT_ENDPOINT=gateway.url):
        yield gateway
    server.shutdown()
    server.server_close()


def _open_sockets(workspace: Workspace, *connection_ids: str) -> None:
    for connection_id in connection_ids:
        connections.add_connection(workspace.tenant_id, connection_id, "u1", "Ann", "agent")


def _listed(workspace: Workspace) -> set[str]:
    return {c.connection_id for c in connections.tenant_connections(workspace.tenant_id)}


def test_a_gone_socket_is_forgotten_and_a_refused_one_kept(workspace: Workspace, gateway: Gateway) -> None:
    # GIVEN three open sockets of a workspace: one live, one the gateway says is gone, one it refuses
    _open_sockets(workspace, "live=", "gone=", "refused=")
    gateway.statuses.update({"gone=": 410, "refused=": 403})
    event = {"type": "ticket.updated", "ticket": {"id": "t1", "subject": "Wi-Fi ✓"}}

    # WHEN an event is pushed to each
    report = push([(c, [event]) for c in connections.tenant_connections(workspace.tenant_id, for_push=True)])

    # THEN the live socket got the event's JSON, the gone one is no longer listed, the refused one is
    assert report == PushReport(delivered=1, gone=1, failed=1)
    assert [json.loads(body) for body in gateway.posted["live="]] == [event]
    assert _listed(workspace) == {"live=", "refused="}


def test_closing_forgets_a_socket_whatever_the_gateway_answers(workspace: Workspace, gateway: Gateway) -> None:
    _open_sockets(workspace, "closed=", "gone=", "refused=", "kept=")
    gateway.statuses.update({"gone=": 410, "refused=": 403})
    closing = [c for c in connections.tenant_connections(workspace.tenant_id) if c.connection_id != "kept="]

    close_connections(closing)

    assert sorted(gateway.deleted) == ["closed=", "gone=", "refused="]
    # a socket the gateway closed is forgotten by its disconnect handler; the others are forgotten here
    assert _listed(workspace) == {"closed=", "kept="}
