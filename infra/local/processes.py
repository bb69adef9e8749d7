"""Child processes (DynamoDB Local, moto server) and the ports they listen on."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"
log = logging.getLogger("pulsedesk.local")


class PortInUseError(RuntimeError):
    """A port the stack wants is taken; the message is one line naming the port and its env var."""


class EngineStartError(RuntimeError):
    """A child process exited or did not answer in time."""


def free_port() -> int:
    """A port the OS just reported free on loopback (it may be taken again before use: tests only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def resolve_port(port: int, env_var: str) -> int:
    """``port`` itself when it is free, a free one for 0; else a clear :class:`PortInUseError`."""
    if port == 0:
        return free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            raise PortInUseError(
                f"port {port} is already in use; stop what uses it or set {env_var} to another port"
            ) from None
    return port


def end_with_parent() -> None:
    """SIGTERM to this process when the process that started it dies, however it died (Linux)."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _die_with_parent() -> None:
    """Runs in the child before exec: its own process group, and SIGTERM if the parent dies."""
    os.setpgrp()
    end_with_parent()


def start_process(command: Sequence[str], log_path: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own process group with its output in ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log_file:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            # setpgrp lets stop() signal the whole group; prctl ends the child if this process dies
            preexec_fn=_die_with_parent,
        )


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 5.0) -> None:
    """Stop the process and its whole group: SIGTERM, then SIGKILL after the grace period."""
    if process.poll() is not None:
        return
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(grace_seconds)


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def wait_until_ready(
    name: str,
    process: subprocess.Popen[bytes],
    is_ready: Callable[[], bool],
    log_path: Path,
    timeout_seconds: float = 60.0,
) -> None:
    """Poll ``is_ready`` until true; fail early with the log tail when the process exits."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EngineStartError(f"{name} exited with code {process.returncode}:\n{_tail(log_path)}")
        if is_ready():
            return
        time.sleep(0.1)
    stop_process(process)
    raise EngineStartError(f"{name} did not answer within {timeout_seconds:.0f} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def http_answers(url: str) -> bool:
    """True once anything answers HTTP at ``url`` (any status code)."""
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback URL built here
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
