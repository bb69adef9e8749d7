"""The management API's calls are the ones boto3's client makes (URL, body, SigV4 signature), sent on a kept-alive
connection per thread, and tried twice as the client's standard retry mode did."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import botocore.auth
import pytest
from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.services.ws_management import ManagementApi

CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token")
SIGNED = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")


def _as_boto3_sends(endpoint: str, region: str, method: str, connection_id: str, data: bytes) -> Any:
    """The request boto3's ``apigatewaymanagementapi`` client would send (caught before it leaves)."""
    client = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
        aws_session_token=CREDENTIALS.token,
    )
    caught: list[Any] = []

    def catch(request: Any, **_: Any) -> AWSResponse:
        caught.append(request)
        return AWSResponse(request.url, 410, {}, None)  # answered here: nothing is sent

    client.meta.events.register("before-send", catch)
    try:
        if method == "POST":
            client.post_to_connection(ConnectionId=connection_id, Data=data)
        else:
            client.delete_connection(ConnectionId=connection_id)
    except Exception:  # the caught request is what is compared; the answer is not a real one
        pass
    return caught[0]


@settings(max_examples=60, deadline=None)
@given(
    endpoint=st.sampled_from(
        [
            "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod",
            "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod/",
            "http://127.0.0.1:8123",
        ]
    ),
    method=st.sampled_from(["POST", "DELETE"]),
    connection_id=st.text(st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=1, max_size=24),
    data=st.binary(max_size=200),
)
def test_a_call_is_the_request_boto3s_client_sends_signed_alike(
    endpoint: str, method: str, connection_id: str, data: bytes
) -> None:
    # GIVEN a signing clock that stands still, so both requests carry the same X-Amz-Date
    moment = dt.datetime(2026, 12, 1, 5, 0, 0)
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: moment
    try:
        # WHEN the same call is made by boto3's client and by ours
        theirs = _as_boto3_sends(endpoint, "eu-west-1", method, connection_id, data)
        ours = ManagementApi(endpoint, "eu-west-1", CREDENTIALS, "execute-api").signed(
            method, connection_id, data if method == "POST" else b""
        )
    finally:
        botocore.auth.get_current_datetime = original

    # THEN the method, URL, body and every signed header are the same: API Gateway cannot tell them apart
    assert (ours.method, ours.url) == (theirs.method, theirs.url)
    assert (ours.body or b"") == (theirs.body or b"")
    for header in SIGNED:
        assert ours.headers[header] == theirs.headers[header].decode(), header


class _Gateway(BaseHTTPRequestHandler):
    """Answers ``answers`` in turn (then 200), and notes each request's client port (its TCP connection)."""

    protocol_version = "HTTP/1.1"
    answers: list[int] = []
    seen: list[tuple[str, str, int]] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Gateway.seen.append((self.command, self.path, self.client_address[1]))
        status = _Gateway.answers.pop(0) if _Gateway.answers else 200
        if status == 0:  # drop the connection without answering
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    _Gateway.answers, _Gateway.seen = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/local"
    server.shutdown()
    server.server_close()


def test_calls_from_one_thread_share_one_kept_alive_connection(gateway: str) -> None:
    api = ManagementApi(gateway, "us-east-1", CREDENTIALS, "execute-api")
    statuses = [api.post("c1=", b"one"), api.post("c2", b"two"), api.delete("c1=")]
    assert statuses == [200, 200, 200]
    assert [(method, path) for method, path, _ in _Gateway.seen] == [
        ("POST", "/local/@connections/c1%3D"),
        ("POST", "/local/@connections/c2"),
        ("DELETE", "/local/@connections/c1%3D"),
    ]
    assert len({port for _, _, port in _Gateway.seen}) == 1


@pytest.mark.parametrize(
    ("answers", "status", "requests"),
    [
        ([410], 410, 1),  # gone: told at once, never retried
        ([403], 403, 1),
        ([503], 200, 2),  # a 5xx or a throttle is tried once more
        ([429, 429], 429, 2),
        ([0], 200, 2),  # a connection the server closed is opened again
    ],
)
def test_a_call_is_tried_twice_only_when_the_first_try_may_succeed_again(
    gateway: str, answers: list[int], status: int, requests: int
) -> None:
    _Gateway.answers = list(answers)
    assert ManagementApi(gateway, "us-east-1", CREDENTIALS, "execute-api").post("c1", b"x") == status
    assert len(_Gateway.seen) == requests


def test_a_call_that_fails_twice_to_connect_raises() -> None:
    with pytest.raises(OSError):
        ManagementApi("http://127.0.0.1:9", "us-east-1", CREDENTIALS, "execute-api").post("c1", b"x")
