"""A local API Gateway WebSocket API: ``/ws`` for browsers and the management API
(``/@connections/{id}``, on the private port) that boto3's ``apigatewaymanagementapi`` client speaks.

The app's ws handlers run in worker threads: a handler that posts back to this gateway through
the management API would deadlock the event loop otherwise.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web
from chalice.app import Chalice

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.local.front_errors import problem_response
from infra.local.lambda_events import (
    WsConnection,
    lambda_context,
    new_connection_id,
    ws_connect_event,
    ws_disconnect_event,
    ws_message_event,
)

log = logging.getLogger("pulsedesk.local")
GONE_HEADERS = {"x-amzn-ErrorType": "GoneException", "Content-Type": "application/json"}
ROUTE_SELECTION_KEY = "action"  # Chalice deploys ``$request.body.action`` as route selection


@dataclass
class _LiveSocket:
    info: WsConnection
    socket: web.WebSocketResponse
    last_active_ms: int


class WebSocketGateway:
    def __init__(self, app: Chalice, executor: Executor, api_id: str = "local") -> None:
        self._app = app
        self._executor = executor
        self._api_id = api_id
        self._sockets: dict[str, _LiveSocket] = {}

    def management_routes(self) -> list[web.RouteDef]:
        """The management API: served on the stack's private port only (``/ws`` is the public side)."""
        management = [
            web.post("/@connections/{connection_id}", self.post_to_connection),
            web.get("/@connections/{connection_id}", self.get_connection),
            web.delete("/@connections/{connection_id}", self.delete_connection),
        ]
        # The same API under a stage prefix, as the AWS endpoint ``https://{domain}/{stage}`` has it.
        staged = [web.route(r.method, "/{stage}" + r.path, r.handler) for r in management]
        return [*management, *staged]

    @property
    def connection_ids(self) -> list[str]:
        return list(self._sockets)

    # --- browser side ------------------------------------------------------------------------

    async def handle_socket(self, request: web.Request) -> web.StreamResponse:
        if not web.WebSocketResponse().can_prepare(request).ok:
            return problem_response(426, "Open a WebSocket here (Upgrade: websocket).")
        info = self._connection_info(request)
        refusal = await self._run_connect(info)
        if refusal is not None:
            return refusal
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets[info.connection_id] = _LiveSocket(info, socket, _now_ms())
        try:
            await self._relay_messages(info, socket)
        finally:
            self._sockets.pop(info.connection_id, None)
            await self._run_disconnect(info, socket.close_code or 1005)
        return socket

    def _connection_info(self, request: web.Request) -> WsConnection:
        return WsConnection(
            connection_id=new_connection_id(),
            api_id=self._api_id,
            domain_name=request.host,
            source_ip=request.remote or "",
            user_agent=request.headers.get("User-Agent", ""),
            query={name: request.query.getall(name) for name in request.query},
            headers={name: request.headers.getall(name) for name in request.headers},
        )

    async def _run_connect(self, info: WsConnection) -> web.Response | None:
        """API Gateway semantics: a non-2xx answer from ``$connect`` refuses the handshake."""
        try:
            result = await self._invoke("$connect", ws_connect_event(info))
        except Exception:
            log.exception("$connect handler failed")
            return web.json_response({"message": "Internal server error"}, status=500, headers=API_RESPONSE_HEADERS)
        status = int((result or {}).get("statusCode", 200))
        if 200 <= status < 300:
            return None
        refused = status if 400 <= status < 500 else 403
        return web.json_response({"message": "Forbidden"}, status=refused, headers=API_RESPONSE_HEADERS)

    async def _run_disconnect(self, info: WsConnection, close_code: int) -> None:
        try:
            await self._invoke("$disconnect", ws_disconnect_event(info, close_code))
        except Exception:
            log.exception("$disconnect handler failed")

    async def _relay_messages(self, info: WsConnection, socket: web.WebSocketResponse) -> None:
        """Messages of one connection are handled in order, one at a time."""
        async for message in socket:
            if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                continue
            self._sockets[info.connection_id].last_active_ms = _now_ms()
            route_key = self._select_route(message.data)
            try:
                await self._invoke(route_key, ws_message_event(info, route_key, message.data))
            except Exception:
                log.exception("ws handler %s failed", route_key)
                await socket.send_json({"message": "Internal server error", "connectionId": info.connection_id})

    def _select_route(self, data: str | bytes) -> str:
        """API Gateway's route selection: the frame's ``action`` when the app registered that route,
        else ``$default``. ``$connect`` and ``$disconnect`` belong to the gateway and are never chosen by
        a frame; a frame that is no JSON object (or nests past the parser's stack) is ``$default`` too."""
        try:
            action = json.loads(data).get(ROUTE_SELECTION_KEY)
        except (ValueError, AttributeError, RecursionError):
            action = None
        if isinstance(action, str) and not action.startswith("$") and action in self._app.websocket_handlers:
            return action
        return "$default"

    async def _invoke(self, route_key: str, event: dict[str, Any]) -> dict[str, Any] | None:
        config = self._app.websocket_handlers.get(route_key)
        if config is None:
            return None
        handler: Callable[..., Any] = self._app.handler_map[config.name]
        context = lambda_context(f"{self._app.app_name}-websocket_handler")
        loop = asyncio.get_running_loop()
        result: dict[str, Any] | None = await loop.run_in_executor(self._executor, handler, event, context)
        return result

    # --- management API ----------------------------------------------------------------------

    async def post_to_connection(self, request: web.Request) -> web.Response:
        live = self._sockets.get(request.match_info["connection_id"])
        if live is None or live.socket.closed:
            return _gone()
        data = await request.read()
        try:
            await live.socket.send_str(data.decode("utf-8"))
        except UnicodeDecodeError:
            await live.socket.send_bytes(data)
        except ConnectionResetError:
            return _gone()
        return web.Response(status=200)

    async def get_connection(self, request: web.Request) -> web.Response:
        live = self._sockets.get(request.match_info["connection_id"])
        if live is None:
            return _gone()
        return web.json_response(
            {
                "connectedAt": _iso(live.info.connected_at_ms),
                "lastActiveAt": _iso(live.last_active_ms),
                "identity": {"sourceIp": live.info.source_ip, "userAgent": live.info.user_agent},
            }
        )

    async def delete_connection(self, request: web.Request) -> web.Response:
        live = self._sockets.get(request.match_info["connection_id"])
        if live is None:
            return _gone()
        await live.socket.close(code=1000)
        return web.Response(status=204)

    async def close_all(self) -> None:
        for live in list(self._sockets.values()):
            await live.socket.close(code=1001, message=b"server shutdown")


def _gone() -> web.Response:
    return web.Response(status=410, headers=GONE_HEADERS, text=json.dumps({"message": None}))


def _now_ms() -> int:
    return int(time.time() * 1000)


def _iso(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).isoformat().replace("+00:00", "Z")
