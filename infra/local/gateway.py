"""The local HTTP front, on two loopback ports.

The public port is what a browser (or an attacker) reaches: ``/`` the built frontend, ``/api/*`` the
REST routes, ``/ws`` the WebSocket API. The private port carries what only the stack itself and its
developer may use, as in AWS where neither is on the public endpoint: the WebSocket management API
(``/@connections/{id}``, reached by the app's push code through ``PULSEDESK_WS_MANAGEMENT_ENDPOINT``)
and ``/_local/outbox``, every workspace's email that SES was asked to send.

Every error either port answers itself is RFC 9457 problem+json, as the API's own are: routing
errors (404, 405) through a middleware, malformed requests (an 8 KB request line, bad headers) through
the protocol's error handler, which would otherwise answer ``text/plain`` and echo the request.

aiohttp runs on its own event loop in a background thread; app handlers run in a thread pool.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from chalice.app import Chalice
from chalice.config import Config
from multidict import CIMultiDict

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.local.activity import Activity
from infra.local.front_errors import ProblemAppRunner, problem_errors
from infra.local.moto_app import SENT_PATH
from infra.local.outbox import outbox_from_moto_data
from infra.local.processes import LOOPBACK
from infra.local.rest_bridge import ApiRequest, ApiResponse, RestBridge
from infra.local.rest_workers import RestWorkers
from infra.local.ws_gateway import WebSocketGateway
from infra.security_headers import (
    EMBEDDABLE_PAGE,
    HASHED_ASSETS_DIR,
    IMMUTABLE,
    NO_CACHE,
    api_security_headers,
    content_security_policy,
    embeddable_security_headers,
    security_headers,
)

log = logging.getLogger("pulsedesk.local")
API_PREFIX = "/api"  # the app's routes carry it themselves (/api/v1/...), as behind CloudFront
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
UPLOADS_PREFIX = "/_uploads"  # the local stand-in for S3's URL in reply uploads (PULSEDESK_ATTACHMENTS_UPLOAD_URL)
READS = frozenset({"GET", "HEAD", "OPTIONS"})  # requests that write nothing a stream poller reads: no poke

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
    workers: int = 32  # threads for WebSocket handlers (and REST requests when there are no processes)
    private_port: int = 0
    app_ref: str | None = None  # ``module:attribute``: what REST worker processes import
    rest_processes: int = 0  # 0: REST requests run on the threads, in this process
    project_dir: Path | None = None
    activity: Activity | None = None  # poked after every request: the event runner's pollers wake up


class StaticFrontend:
    """Files of the built SPA; unknown page paths get ``index.html`` so client routes deep-link.

    Every answer carries the security headers CloudFront adds in production (CSP with
    ``frame-ancestors``, ``nosniff``, ``Referrer-Policy``); hashed ``/assets/`` are cached for a
    year, ``index.html`` and ``config.json`` revalidated on every load.
    """

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._policy: tuple[float, str] | None = None  # (index.html mtime, policy)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        index = self._root / "index.html"
        if not index.is_file():
            headers = {**security_headers(content_security_policy(None)), "Cache-Control": NO_CACHE}
            return web.Response(text=MISSING_FRONTEND_PAGE, content_type="text/html", headers=headers)
        framable = EMBEDDABLE_PAGE.match(request.path) is not None
        policy = self._policy_of(index)
        secure = embeddable_security_headers(policy) if framable else security_headers(policy)
        tail = request.match_info.get("tail", "")
        target = self._file_for(tail)
        if target is not None:
            return web.FileResponse(target, headers={**secure, "Cache-Control": self._cache_control(target)})
        if "." in request.path.rsplit("/", 1)[-1]:
            # a missing asset must not turn into HTML (nor be cached: the next build may add it)
            raise web.HTTPNotFound(headers={**secure, "Cache-Control": NO_CACHE})
        return web.FileResponse(index, headers={**secure, "Cache-Control": NO_CACHE})

    def _cache_control(self, target: Path) -> str:
        relative = target.relative_to(self._root).parts
        return IMMUTABLE if len(relative) > 1 and relative[0] == HASHED_ASSETS_DIR else NO_CACHE

    def _policy_of(self, index: Path) -> str:
        mtime = index.stat().st_mtime
        if self._policy is None or self._policy[0] != mtime:
            self._policy = (mtime, content_security_policy(index.read_text(encoding="utf-8", errors="replace")))
        return self._policy[1]

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
        self._processes: RestWorkers | None = None
        if config.rest_processes > 0 and config.app_ref is not None:
            self._processes = RestWorkers(config.app_ref, config.rest_processes, config.project_dir or Path.cwd())
        self.worker_pids: set[int] = set()
        self.websockets = WebSocketGateway(app, self._executor)
        self._frontend = StaticFrontend(config.frontend_dir)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="gateway-loop", daemon=True)
        self._runners: list[web.AppRunner] = []
        self.port = config.port
        self.private_port = config.private_port

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def private_url(self) -> str:
        return f"http://{LOOPBACK}:{self.private_port}"

    def start(self) -> None:
        if self._processes is not None:
            self.worker_pids = self._processes.start()
            log.info("REST requests served by %d worker processes", len(self.worker_pids))
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=30)
        log.info("gateway listening on %s", self.base_url)

    def stop(self) -> None:
        if self._runners:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread.is_alive():  # not when a worker process failed to start
            self._thread.join(timeout=10)
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._processes is not None:
            self._processes.stop()

    async def _serve(self) -> None:
        self.port = await self._start_site(self._public_app(), self._config.port)
        self.private_port = await self._start_site(self._private_app(), self._config.private_port)

    async def _start_site(self, web_app: web.Application, port: int) -> int:
        runner = ProblemAppRunner(web_app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        await web.TCPSite(runner, LOOPBACK, port).start()
        return int(runner.addresses[0][1])

    async def _shutdown(self) -> None:
        await self.websockets.close_all()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()

    def _public_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[problem_errors])
        web_app.add_routes(
            [
                # [\s\S]: a path may hold any character once decoded (a %0A too); ``.`` stops at a newline
                web.route("*", API_PREFIX, self._api),
                web.route("*", API_PREFIX + r"/{tail:[\s\S]*}", self._api),
                web.get("/ws", self.websockets.handle_socket),
                web.post(UPLOADS_PREFIX + "/{bucket}", self._upload),
                web.get(r"/{tail:[\s\S]*}", self._frontend.handle),
            ]
        )
        return web_app

    def _private_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[problem_errors])
        web_app.add_routes([web.get("/_local/outbox", self._outbox), *self.websockets.management_routes()])
        return web_app

    async def _api(self, request: web.Request) -> web.Response:
        api_request = ApiRequest(
            method=request.method,
            path=request.raw_path,
            headers={name: ", ".join(request.headers.getall(name)) for name in request.headers},
            body=await request.read() if request.body_exists else None,
            source_ip=request.remote or "",
        )
        response = await self._answer(api_request)
        if self._config.activity is not None and request.method not in READS:
            self._config.activity.poke()  # it may have written what a stream poller reads
        headers = CIMultiDict(response.headers)
        for name, value in api_security_headers().items():  # CloudFront's response-headers policy on /api/*
            headers[name] = value
        return web.Response(status=response.status, headers=headers, body=response.body)

    async def _answer(self, api_request: ApiRequest) -> ApiResponse:
        if self._processes is not None:
            return await asyncio.wrap_future(self._processes.submit(api_request))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._rest.handle, api_request)

    async def _upload(self, request: web.Request) -> web.Response:
        """A reply attachment's presigned POST, passed to moto's S3 as it came: the page's policy allows
        connections to its own origin (in AWS the browser posts to S3's URL, which the policy names)."""
        if request.match_info["bucket"] != os.environ.get("PULSEDESK_ATTACHMENTS_BUCKET"):
            return web.Response(status=404)
        url = f"{self._config.moto_endpoint}/{request.match_info['bucket']}"
        headers = {"Content-Type": request.headers.get("Content-Type", "")}
        sent = await request.content.read()  # moto wants a Content-Length; in AWS the policy caps the size
        async with aiohttp.ClientSession() as session, session.post(url, data=sent, headers=headers) as answer:
            body = await answer.read()
            return web.Response(status=answer.status, body=body, content_type=answer.content_type)

    async def _outbox(self, _: web.Request) -> web.Response:
        url = f"{self._config.moto_endpoint}{SENT_PATH}"
        async with aiohttp.ClientSession() as session, session.get(url, params={"after": "0"}) as answer:
            data = await answer.json(content_type=None)
        return web.json_response(outbox_from_moto_data(data), headers=API_RESPONSE_HEADERS)
