"""The one local HTTP front: ``/`` the built frontend, ``/api/*`` the REST routes, ``/ws`` the
WebSocket API with its management API, ``/_local/outbox`` the email SES was asked to send.

aiohttp runs on its own event loop in a background thread; app handlers run in a thread pool.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from chalice.app import Chalice
from chalice.config import Config
from multidict import CIMultiDict

from infra.local.outbox import outbox_from_moto_data
from infra.local.processes import LOOPBACK
from infra.local.rest_bridge import ApiRequest, RestBridge
from infra.local.ws_gateway import WebSocketGateway

log = logging.getLogger("pulsedesk.local")
API_PREFIX = "/api"  # the app's routes carry it themselves (/api/v1/...), as behind CloudFront
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit

MISSING_FRONTEND_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Pulsedesk (local)</title></head><body><main><h1>Pulsedesk API is running</h1>
<p>The frontend is not built yet: run <code>make frontend-build</code> (or <code>make run</code>)
and reload. The API answers under <code>/api/</code>.</p></main></body></html>"""


@dataclass(frozen=True)
class GatewayConfig:
    port: int
    frontend_dir: Path
    moto_endpoint: str
    chalice_config: Config
    workers: int = 32


class StaticFrontend:
    """Files of the built SPA; unknown page paths get ``index.html`` so client routes deep-link."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        index = self._root / "index.html"
        if not index.is_file():
            return web.Response(text=MISSING_FRONTEND_PAGE, content_type="text/html")
        target = self._file_for(request.match_info.get("tail", ""))
        if target is not None:
            return web.FileResponse(target)
        if "." in request.path.rsplit("/", 1)[-1]:
            raise web.HTTPNotFound()  # a missing asset must not turn into HTML
        return web.FileResponse(index, headers={"Cache-Control": "no-cache"})

    def _file_for(self, tail: str) -> Path | None:
        candidate = (self._root / tail).resolve()
        if not candidate.is_relative_to(self._root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


class LocalGatewayServer:
    """Owns the aiohttp loop thread, the handler thread pool and the app's two gateways."""

    def __init__(self, app: Chalice, config: GatewayConfig) -> None:
        self._config = config
        self._executor = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="lambda")
        self._rest = RestBridge(app, config.chalice_config)
        self.websockets = WebSocketGateway(app, self._executor)
        self._frontend = StaticFrontend(config.frontend_dir)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="gateway-loop", daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = config.port

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=30)
        log.info("gateway listening on %s", self.base_url)

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def _serve(self) -> None:
        self._runner = web.AppRunner(self._web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOOPBACK, self._config.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        await self.websockets.close_all()
        assert self._runner is not None
        await self._runner.cleanup()

    def _web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)
        web_app.add_routes(
            [
                web.route("*", API_PREFIX, self._api),
                web.route("*", API_PREFIX + "/{tail:.*}", self._api),
                web.get("/_local/outbox", self._outbox),
                *self.websockets.routes(),
                web.get("/{tail:.*}", self._frontend.handle),
            ]
        )
        return web_app

    async def _api(self, request: web.Request) -> web.Response:
        api_request = ApiRequest(
            method=request.method,
            path=request.raw_path,
            headers={name: ", ".join(request.headers.getall(name)) for name in request.headers},
            body=await request.read() if request.body_exists else None,
            source_ip=request.remote or "",
        )
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self._executor, self._rest.handle, api_request)
        return web.Response(status=response.status, headers=CIMultiDict(response.headers), body=response.body)

    async def _outbox(self, _: web.Request) -> web.Response:
        url = f"{self._config.moto_endpoint}/moto-api/data.json"
        async with aiohttp.ClientSession() as session, session.get(url) as answer:
            data = await answer.json(content_type=None)
        return web.json_response(outbox_from_moto_data(data))
