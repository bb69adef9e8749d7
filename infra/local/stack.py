"""The whole local stack in one object, for ``run.py`` and for pytest fixtures.

``LocalEngines`` are the processes (DynamoDB Local, moto server) and the settings pointing at them;
``LocalStack`` serves one Chalice app on them: the HTTP/WebSocket front and the event runner.
Several stacks may share one set of engines (tests serve a throwaway app beside the real one).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from chalice.app import Chalice

from infra.local.activity import Activity
from infra.local.batches import DeadLetter, RetryPolicy
from infra.local.dev_keys import load_or_create_dev_secrets
from infra.local.dynamodb import DynamoDBLocal
from infra.local.events import EventSourceRunner, RunnerConfig
from infra.local.gateway import GatewayConfig, LocalGatewayServer
from infra.local.inbound_mail import inbound_mail_settings
from infra.local.mail_relay import OutboundMailRelay
from infra.local.moto_server import DEFAULT_EMAIL_SENDER, MotoServer
from infra.local.processes import LOOPBACK, resolve_port
from infra.local.queues import notification_queue_settings, stream_failures_queue_name
from infra.local.rest_bridge import chalice_config
from infra.local.rest_workers import workers_from_env
from infra.local.runner_process import RunnerProcess
from infra.local.smtp import SES_MAX_MESSAGE_BYTES, LocalSmtpServer, SmtpConfig
from infra.local.tables import ensure_tables, reset_connections

if TYPE_CHECKING:
    from pynamodb.models import Model

log = logging.getLogger("pulsedesk.local")
REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
PORT_ENV = {
    "front": "PULSEDESK_PORT",
    "dynamodb": "PULSEDESK_DYNAMODB_PORT",
    "moto": "PULSEDESK_MOTO_PORT",
    "private": "PULSEDESK_PRIVATE_PORT",
    "smtp": "PULSEDESK_SMTP_PORT",
}
# "private": the WebSocket management API and the outbox, never on the public front's port.
# "smtp": the local stand-in for SES receiving (mail for the inbound domain).
DEFAULT_PORTS = {"front": 8000, "dynamodb": 8001, "moto": 8002, "private": 8003, "smtp": 2525}


def _optional_float(text: str | None) -> float | None:
    return float(text) if text else None


def port_from_env(kind: str) -> int:
    return int(os.environ.get(PORT_ENV[kind], DEFAULT_PORTS[kind]))


class EnvOverrides:
    """Environment variables set for the app, restored to their previous values on :meth:`restore`."""

    def __init__(self) -> None:
        self._previous: dict[str, str | None] = {}

    def set(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self._previous.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def restore(self) -> None:
        for name, value in self._previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._previous.clear()


class LocalEngines:
    """DynamoDB Local and moto server, their tables and identities, and the settings that reach them."""

    def __init__(
        self,
        data_dir: Path,
        *,
        dynamodb_port: int = DEFAULT_PORTS["dynamodb"],
        moto_port: int = DEFAULT_PORTS["moto"],
        table_models: Iterable[type[Model]] | None = None,
        in_memory: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._in_memory = in_memory
        self._requested_ports = {"dynamodb": dynamodb_port, "moto": moto_port}
        self._table_models = table_models
        self._dynamodb: DynamoDBLocal | None = None
        self._moto: MotoServer | None = None
        self._env = EnvOverrides()
        self.settings: dict[str, str] = {}

    @property
    def dynamodb_endpoint(self) -> str:
        assert self._dynamodb is not None, "engines not started"
        return self._dynamodb.endpoint

    @property
    def moto_endpoint(self) -> str:
        assert self._moto is not None, "engines not started"
        return self._moto.endpoint

    @property
    def dynamodb_pid(self) -> int:
        """DynamoDB Local's process (its CPU is part of what a benchmark measures)."""
        assert self._dynamodb is not None, "engines not started"
        return self._dynamodb.pid

    def start(self) -> None:
        dynamodb_port = resolve_port(self._requested_ports["dynamodb"], PORT_ENV["dynamodb"])
        moto_port = resolve_port(self._requested_ports["moto"], PORT_ENV["moto"])
        self._dynamodb = DynamoDBLocal(dynamodb_port, self.data_dir / "dynamodb", in_memory=self._in_memory)
        self._moto = MotoServer(moto_port, self.data_dir, REGION)
        try:
            self._start_engines()
        except BaseException:
            self.stop()
            raise

    def _start_engines(self) -> None:
        assert self._dynamodb is not None and self._moto is not None
        self.settings = self._settings()
        self._env.set(self.settings)
        self._dynamodb.start()
        self._moto.start()
        self._moto.verify_sender(os.environ.get("PULSEDESK_EMAIL_SENDER", DEFAULT_EMAIL_SENDER))
        self.settings.update(notification_queue_settings(self._moto.endpoint, REGION))
        self.settings.update(inbound_mail_settings(self._moto.endpoint, REGION))
        self._env.set(self.settings)
        models = self._table_models if self._table_models is not None else _app_table_models()
        reset_connections(models)
        ensure_tables(models)

    def _settings(self) -> dict[str, str]:
        assert self._dynamodb is not None and self._moto is not None
        dev = load_or_create_dev_secrets(self.data_dir / "keys")
        moto = self._moto.endpoint
        return {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_ENDPOINT_URL_DYNAMODB": self._dynamodb.endpoint,
            # botocore names the streams API apart: without it the stream_failures consumer reads AWS
            "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": self._dynamodb.endpoint,
            "AWS_ENDPOINT_URL_SES": moto,
            "AWS_ENDPOINT_URL_SESV2": moto,
            "AWS_ENDPOINT_URL_SQS": moto,
            "AWS_ENDPOINT_URL_S3": moto,
            "PULSEDESK_JWT_PRIVATE_KEY": dev.jwt_private_key_pem,
            "PULSEDESK_JWT_PUBLIC_KEY": dev.jwt_public_key_pem,
            "PULSEDESK_JWT_KID": dev.jwt_kid,
            "PULSEDESK_CURSOR_SECRET": dev.cursor_secret,
            "PULSEDESK_WEBHOOK_ALLOW_PRIVATE": "true",
            # browsers post reply attachments to the front, which hands them to moto's S3 (gateway.py)
            "PULSEDESK_ATTACHMENTS_UPLOAD_URL": "/_uploads",
        }

    def stop(self) -> None:
        for engine in (self._moto, self._dynamodb):
            if engine is not None:
                engine.stop()
        self._env.restore()


def _app_table_models() -> tuple[type[Model], ...]:
    from chalicelib.data.models import TABLE_MODELS

    return TABLE_MODELS


def load_app(app: Chalice | str) -> Chalice:
    """The app object itself, or ``module:attribute`` imported from the repository root."""
    if isinstance(app, Chalice):
        return app
    module_name, _, attribute = app.partition(":")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    loaded = getattr(importlib.import_module(module_name), attribute or "app")
    if not isinstance(loaded, Chalice):
        raise TypeError(f"{app} is not a Chalice app")
    return loaded


def _clear_cached_settings() -> None:
    """Settings are read once per process: a stack's settings must be seen from its start, and the
    previous ones again after its stop (stacks nest: each restores what it overrode)."""
    settings_module = sys.modules.get("chalicelib.settings")
    if settings_module is not None:
        settings_module.get_settings.cache_clear()


class LocalStack:
    """``start()`` runs everything; ``stop()`` stops every thread and child process it started."""

    def __init__(
        self,
        data_dir: Path,
        *,
        front_port: int = DEFAULT_PORTS["front"],
        dynamodb_port: int = DEFAULT_PORTS["dynamodb"],
        moto_port: int = DEFAULT_PORTS["moto"],
        private_port: int = 0,
        smtp_port: int = 0,
        app: Chalice | str = "app:app",
        engines: LocalEngines | None = None,
        frontend_dir: Path = REPO_ROOT / "frontend" / "dist",
        stream_poll_seconds: float | None = None,
        schedule_seconds: float | None = None,
        retry: RetryPolicy | None = None,
        stream_failure_queue: str | None = None,
        rest_processes: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._owns_engines = engines is None
        self.engines = engines or LocalEngines(self.data_dir, dynamodb_port=dynamodb_port, moto_port=moto_port)
        self._front_port = front_port
        self._private_port = private_port
        self._smtp_port = smtp_port
        self._app_ref = app
        self._frontend_dir = frontend_dir
        self._runner_options = (stream_poll_seconds, schedule_seconds, retry)
        # REST worker processes: None reads PULSEDESK_LOCAL_WORKERS (default one per core); 0 serves
        # requests on threads of this process (tests that reconfigure the app in-process need that)
        self._rest_processes = rest_processes
        self.activity = Activity()
        self._stream_failure_queue = stream_failure_queue  # None: the app's (PULSEDESK_STREAM_FAILURES_QUEUE_NAME)
        self._env = EnvOverrides()
        self._gateway: LocalGatewayServer | None = None
        self._runner: EventSourceRunner | RunnerProcess | None = None
        self._smtp: LocalSmtpServer | None = None
        self._relay: OutboundMailRelay | None = None
        self.app: Chalice | None = None
        self.port = 0
        self.private_port = 0
        self.smtp_port = 0

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def private_url(self) -> str:
        """The management API and ``/_local/outbox``: loopback, and not the port the browser uses."""
        return f"http://{LOOPBACK}:{self.private_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.port}/ws"

    @property
    def dynamodb_endpoint(self) -> str:
        return self.engines.dynamodb_endpoint

    @property
    def moto_endpoint(self) -> str:
        return self.engines.moto_endpoint

    @property
    def inbound_domain(self) -> str:
        return self.engines.settings["PULSEDESK_INBOUND_DOMAIN"]

    @property
    def rest_worker_pids(self) -> set[int]:
        """The processes serving REST requests (empty when they run on the front's threads)."""
        return set(self._gateway.worker_pids) if self._gateway else set()

    @property
    def event_runner_pid(self) -> int:
        """The process running the stream, queue and schedule handlers (this one, or its own)."""
        if isinstance(self._runner, RunnerProcess) and self._runner.pid is not None:
            return self._runner.pid
        return os.getpid()

    @property
    def dead_letters(self) -> list[DeadLetter]:
        return self._runner.dead_letters.snapshot() if self._runner else []

    def start(self) -> LocalStack:
        self.port = resolve_port(self._front_port, PORT_ENV["front"])
        self.private_port = resolve_port(self._private_port, PORT_ENV["private"])
        self.smtp_port = resolve_port(self._smtp_port, PORT_ENV["smtp"])
        try:
            if self._owns_engines:
                self.engines.start()
            self._env.set(self._front_settings())
            _clear_cached_settings()
            self.app = load_app(self._app_ref)
            self._start_front(self.app)
        except BaseException:
            self.stop()
            raise
        return self

    def _front_settings(self) -> dict[str, str]:
        return {
            "PULSEDESK_WS_MANAGEMENT_ENDPOINT": self.private_url,
            "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI": self.private_url,
            "PULSEDESK_PUBLIC_BASE_URL": self.base_url,
        }

    def _start_front(self, app: Chalice) -> None:
        rest_processes = workers_from_env() if self._rest_processes is None else self._rest_processes
        self._gateway = LocalGatewayServer(
            app,
            GatewayConfig(
                port=self.port,
                private_port=self.private_port,
                frontend_dir=self._frontend_dir,
                moto_endpoint=self.moto_endpoint,
                chalice_config=chalice_config(REPO_ROOT),
                app_ref=self._app_ref if isinstance(self._app_ref, str) else None,
                rest_processes=rest_processes,
                project_dir=REPO_ROOT,
                activity=self.activity,
            ),
        )
        self._gateway.start()
        # with REST worker processes, the stream, queue and schedule handlers get a process of their own
        # too: each part of the stack on a core of its own, as Lambda runs them apart
        if rest_processes > 0 and isinstance(self._app_ref, str):
            self._runner = RunnerProcess(self._app_ref, self._runner_config(), self.activity)
        else:
            self._runner = EventSourceRunner(app, self._runner_config(), self.activity)
        self._runner.start()
        self._start_mail()

    def _start_mail(self) -> None:
        """SES receiving's stand-in (after the runner, which points the bucket's notifications at the
        handler), then the relay that brings outbound mail for the inbound domain back to it."""
        settings = self.engines.settings
        self._smtp = LocalSmtpServer(
            SmtpConfig(
                port=self.smtp_port,
                inbound_domain=settings["PULSEDESK_INBOUND_DOMAIN"],
                bucket=settings["PULSEDESK_INBOUND_BUCKET"],
                s3_endpoint=self.moto_endpoint,
                region=REGION,
                max_message_bytes=int(os.environ.get("PULSEDESK_SMTP_MAX_BYTES", SES_MAX_MESSAGE_BYTES)),
            )
        )
        self._smtp.start()
        self._relay = OutboundMailRelay(
            self.moto_endpoint, REGION, self.smtp_port, settings["PULSEDESK_INBOUND_DOMAIN"], self.activity
        )
        self._relay.start()

    def _runner_config(self) -> RunnerConfig:
        poll_seconds, schedule_seconds, retry = self._runner_options
        return RunnerConfig(
            dynamodb_endpoint=self.dynamodb_endpoint,
            sqs_endpoint=self.moto_endpoint,
            s3_endpoint=self.moto_endpoint,
            region=REGION,
            stream_poll_seconds=poll_seconds or int(os.environ.get("PULSEDESK_STREAM_POLL_MS", "20")) / 1000,
            # unset: each schedule at its own rate, as in AWS (housekeeping every 5 min): it visits every
            # workspace and recounts every agent's load, work that grows with the data (it ran every 30 s)
            schedule_seconds=schedule_seconds or _optional_float(os.environ.get("PULSEDESK_SCHEDULE_SECONDS")),
            retry=retry or RetryPolicy(),
            checkpoint_file=self.data_dir / "stream-checkpoints.json",
            stream_failure_queue=self._stream_failure_queue
            if self._stream_failure_queue is not None
            else stream_failures_queue_name(),
        )

    def stop(self) -> None:
        if self._relay is not None:
            self._relay.stop()
            self._relay = None
        if self._smtp is not None:
            self._smtp.stop()
            self._smtp = None
        if self._runner is not None:
            self._runner.stop()
            self._runner = None
        if self._gateway is not None:
            self._gateway.stop()
            self._gateway = None
        if self._owns_engines:
            self.engines.stop()
        self._env.restore()
        _clear_cached_settings()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
