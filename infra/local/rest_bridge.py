"""REST requests through Chalice's own local gateway code: HTTP request in, API Gateway event to
the app, HTTP response out. Called from worker threads, never on the event loop."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import EventType, ForbiddenError, HeaderType, LocalChalice, LocalGateway, LocalGatewayException

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.gateway_responses import PROBLEM_CONTENT_TYPE, UNKNOWN_ROUTE_STATUS, unknown_route_body

API_STAGE = "api"


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str  # as the browser sent it, with the query string
    headers: dict[str, str]
    body: bytes | None
    source_ip: str


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def make_thread_safe(app: Chalice) -> None:
    """Give ``app`` a per-thread ``current_request``, as ``chalice local`` does, so that
    concurrent requests in worker threads do not see each other's request."""
    if not isinstance(app, LocalChalice):
        app.__class__ = type(f"Local{type(app).__name__}", (LocalChalice, type(app)), {})


def chalice_config(project_dir: Path, stage: str = "dev") -> Config:
    """The stage config of ``.chalice/config.json`` when present (timeouts, memory), else defaults."""
    config_file = project_dir / ".chalice" / "config.json"
    from_disk: dict[str, Any] = json.loads(config_file.read_text()) if config_file.exists() else {}
    return Config(chalice_stage=stage, config_from_disk=from_disk)


class _ClientAwareGateway(LocalGateway):
    """Chalice's LocalGateway, plus what API Gateway adds that Chalice local leaves out:
    the caller's IP, a request id, the stage and the domain name."""

    _current = threading.local()

    def handle_from(self, request: ApiRequest) -> dict[str, Any]:
        self._current.request = request
        return self.handle_request(request.method, request.path, request.headers, request.body)

    def _generate_lambda_event(self, method: str, path: str, headers: HeaderType, body: bytes | None) -> EventType:
        event = super()._generate_lambda_event(method, path, headers, body)
        request: ApiRequest = self._current.request
        context = event["requestContext"]
        context["identity"]["sourceIp"] = request.source_ip
        context["identity"]["userAgent"] = headers.get("user-agent", "")
        context.update(
            requestId=str(uuid.uuid4()),
            stage=API_STAGE,
            domainName=headers.get("host", ""),
            requestTimeEpoch=int(time.time() * 1000),
            protocol="HTTP/1.1",
        )
        forwarded = event["headers"].get("x-forwarded-for")
        event["headers"]["x-forwarded-for"] = f"{forwarded}, {request.source_ip}" if forwarded else request.source_ip
        return event


class RestBridge:
    def __init__(self, app: Chalice, config: Config) -> None:
        make_thread_safe(app)
        self._gateway = _ClientAwareGateway(app, config)

    def handle(self, request: ApiRequest) -> ApiResponse:
        try:
            response = self._gateway.handle_from(request)
        except LocalGatewayException as error:
            return _gateway_response(error)
        return ApiResponse(
            status=int(response["statusCode"]),
            headers=_header_pairs(response.get("headers") or {}, response.get("multiValueHeaders") or {}),
            body=_body_bytes(response),
        )


def _gateway_response(error: LocalGatewayException) -> ApiResponse:
    """Chalice's local gateway answers an unknown route as API Gateway does by default (403 "Missing
    Authentication Token"); the deployed API overrides that with a gateway response, so do the same."""
    if isinstance(error, ForbiddenError):  # the app has no authorizer: a 403 here means "no such route"
        body = unknown_route_body().encode()
        headers = [("Content-Type", PROBLEM_CONTENT_TYPE), *API_RESPONSE_HEADERS.items()]
        return ApiResponse(UNKNOWN_ROUTE_STATUS, headers, body)
    return ApiResponse(error.CODE, _header_pairs({**error.headers, **API_RESPONSE_HEADERS}, {}), error.body or b"")


def _header_pairs(headers: HeaderType, multi_value: dict[str, list[str]]) -> list[tuple[str, str]]:
    pairs = [(name, str(value)) for name, value in headers.items() if name not in multi_value]
    pairs += [(name, str(value)) for name, values in multi_value.items() for value in values]
    if not any(name.lower() == "content-type" for name, _ in pairs):
        pairs.append(("Content-Type", "application/json"))
    return pairs


def _body_bytes(response: dict[str, Any]) -> bytes:
    body = response.get("body")
    if body is None:
        return b""
    if response.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body if isinstance(body, bytes) else str(body).encode()
