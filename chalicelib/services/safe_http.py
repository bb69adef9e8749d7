"""Outbound HTTP to URLs that customers typed in (webhooks), safe against SSRF.

The host is resolved once, every address it resolves to is checked, and the connection goes to
the checked address (the TLS name and ``Host`` stay the host's), so a DNS answer cannot change
between the check and the request. Redirects are not followed (``http.client`` never does),
timeouts are short and at most a few KB of the answer are read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.domain.url_safety import address_refusal, never_callable, url_refusal

MAX_RESPONSE_BYTES = 4096
USER_AGENT = "Pulsedesk-Webhooks/1.0"


class UnsafeTarget(Exception):
    """The URL may not be called; the message says why, in words an admin can act on."""


class Unresolvable(UnsafeTarget):
    """The name does not resolve (now): fine when saving an endpoint, a failure when delivering."""


class TransportError(Exception):
    """The request did not get an HTTP answer (refused, timed out, TLS failed...)."""


@dataclass(frozen=True)
class HttpResult:
    status: int
    latency_ms: int
    body: str


def check_url(url: str, allow_private: bool) -> None:
    """Refuses an unsafe URL before it is saved: its shape, and where its name resolves now (a name
    that does not resolve yet is accepted; every delivery checks again)."""
    reason = url_refusal(url, allow_private)
    if reason is not None:
        raise UnsafeTarget(f"The URL {reason}.")
    try:
        _resolve(str(urlsplit(url).hostname), _port(url), allow_private)
    except Unresolvable:
        return


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool, timeout: float) -> HttpResult:
    reason = url_refusal(url, allow_private)
    if reason is not None:
        raise UnsafeTarget(f"The URL {reason}.")
    parts = urlsplit(url)
    host, port = str(parts.hostname), _port(url)
    address = _resolve(host, port, allow_private)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, address, port, timeout)
    else:
        connection = _PinnedHTTPConnection(host, address, port, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body, headers=sent)
        response = connection.getresponse()
        excerpt = response.read(MAX_RESPONSE_BYTES)
    except (OSError, http.client.HTTPException) as error:
        raise TransportError(f"{type(error).__name__}: {error}"[:300]) from error
    finally:
        connection.close()
    latency_ms = round((time.perf_counter() - started) * 1000)
    return HttpResult(response.status, latency_ms, excerpt.decode("utf-8", errors="replace"))


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def _resolve(host: str, port: int, allow_private: bool) -> str:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise Unresolvable(f"The host {host} does not resolve.") from error
    addresses = list(dict.fromkeys(str(answer[4][0]) for answer in answers))
    # Resolution also catches the spellings a URL check cannot see (2852039166, 0251.0376.0251.0376...).
    refusal = never_callable if allow_private else address_refusal
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            raise UnsafeTarget(f"The host {host} {reason} ({address}).")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)
