"""Errors the local front answers itself, as RFC 9457 problem+json like the app's own
(``chalicelib/api/problems.py``), never aiohttp's ``text/plain`` that echoes the request.

Two doors: the middleware turns aiohttp's routing answers (no route, wrong method, body too large)
into problems; the protocol handler does the same for a request it could not even parse (a request
line over 8 KB, a malformed header), which never reaches a middleware.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_server import Server

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.gateway_responses import PROBLEM_CONTENT_TYPE

# What the front tells the client about its own refusals: never the request itself.
_DETAILS = {
    400: "The request is malformed (e.g. a request line or header over 8 KB).",
    404: "Nothing here. The API is under /api/v1 (see /api/v1/openapi.json).",
    405: "This method is not allowed here.",
    413: "The body is too large.",
}
_KEPT_HEADERS = ("Allow", "Content-Security-Policy", "Referrer-Policy")


def problem_response(status: int, detail: str, headers: dict[str, str] | None = None) -> web.Response:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"type": f"urn:pulsedesk:problem:http-{status}", "title": title, "status": status, "detail": detail}
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={**(headers or {}), **API_RESPONSE_HEADERS, "Content-Type": PROBLEM_CONTENT_TYPE},
    )


@web.middleware
async def problem_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        kept = {name: error.headers[name] for name in _KEPT_HEADERS if name in error.headers}
        return problem_response(error.status, _DETAILS.get(error.status, error.reason), kept)
    return response


class _ProblemRequestHandler(RequestHandler):
    def handle_error(
        self, request: BaseRequest, status: int = 500, exc: BaseException | None = None, message: str | None = None
    ) -> web.StreamResponse:
        super().handle_error(request, status, exc, message)  # logs it; raises if an answer was already started
        response = problem_response(status, _DETAILS.get(status, "The local front failed to answer."))
        response.force_close()
        return response


class _ProblemServer(Server):
    def __call__(self) -> RequestHandler:
        return _ProblemRequestHandler(self, loop=self._loop, **self._kwargs)


class ProblemAppRunner(web.AppRunner):
    """An AppRunner whose connections answer unparseable requests with a problem."""

    async def _make_server(self) -> Server:
        server = await super()._make_server()
        server.__class__ = _ProblemServer  # aiohttp builds the Server; only its per-connection handler differs
        return server
