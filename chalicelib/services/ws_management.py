"""API Gateway's WebSocket management API (``POST`` and ``DELETE`` on ``@connections/{id}``), called without a
botocore client.

A fan-out makes one call per connection: 200 dashboards are 200 calls per stream batch. Through boto3's
``apigatewaymanagementapi`` client a call cost ~2.5 ms of CPU (parameter validation, endpoint rules, the event
system, urllib3, the response parser), held by the GIL while the push threads wait their turn; signed by
botocore's own SigV4 signer and sent on a kept-alive ``http.client`` connection of the thread, it costs ~0.5 ms
(figures in the README). The request is the client's own: the same URL, and the same signature over the same
signed headers (``tests/unit/test_ws_management.py`` holds it against the client's). ``services/push.py`` still
makes the client, once: its region and signing name are what a request is signed with, and the function's IAM
role is derived from it (``infra/aws/access.py``).
"""

from __future__ import annotations

import http.client
import random
import ssl
import threading
import time
from functools import lru_cache
from urllib.parse import quote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TIMEOUT_SECONDS = 2.0
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})  # what botocore's standard retry mode retries


class ManagementApi:
    """One endpoint (``https://{api}.execute-api.{region}.amazonaws.com/{stage}``, or the local gateway's).
    Thread-safe: each thread keeps its own connection. A call is tried twice, as the client's standard retry
    mode with two attempts did: after a connection error (a kept-alive socket the server closed), a throttle
    or a 5xx."""

    def __init__(self, endpoint: str, region: str, credentials: Credentials, signing_name: str) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) endpoint: {endpoint!r}")
        self._endpoint = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._region = region
        self._credentials = credentials
        self._signing_name = signing_name  # "execute-api", from the client's service model
        self._local = threading.local()

    def post(self, connection_id: str, data: bytes) -> int:
        """The answer's status: 200 sent, 410 gone, anything else refused."""
        return self._call("POST", connection_id, data)

    def delete(self, connection_id: str) -> int:
        """The answer's status: 204 closed, 410 gone, anything else refused."""
        return self._call("DELETE", connection_id, b"")

    def signed(self, method: str, connection_id: str, data: bytes) -> AWSRequest:
        """The request as the client would send it: its URL, body and SigV4 headers."""
        url = f"{self._endpoint}/@connections/{quote(connection_id, safe='')}"
        request = AWSRequest(method=method, url=url, data=data)
        SigV4Auth(self._credentials.get_frozen_credentials(), self._signing_name, self._region).add_auth(request)
        return request

    def _call(self, method: str, connection_id: str, data: bytes) -> int:
        for attempt in (1, 2):
            try:
                status = self._send(self.signed(method, connection_id, data))
            except (OSError, http.client.HTTPException):
                self._drop_connection()
                if attempt == 2:
                    raise
                continue
            if status not in RETRIED_STATUSES or attempt == 2:
                return status
            time.sleep(random.uniform(0.05, 0.25))  # noqa: S311 (jitter, not a secret)
        raise AssertionError("unreachable")

    def _send(self, request: AWSRequest) -> int:
        connection = self._connection()
        target = urlsplit(request.url)
        connection.request(request.method, target.path, body=request.data, headers=dict(request.headers.items()))
        response = connection.getresponse()
        response.read()  # the connection is kept for the thread's next call
        if response.will_close:
            self._drop_connection()
        return response.status

    def _drop_connection(self) -> None:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            if self._https:
                connection = http.client.HTTPSConnection(
                    self._host, self._port, timeout=TIMEOUT_SECONDS, context=_tls_context()
                )
            else:
                connection = http.client.HTTPConnection(self._host, self._port, timeout=TIMEOUT_SECONDS)
            self._local.connection = connection
        return connection


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()
