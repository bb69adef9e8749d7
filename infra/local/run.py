"""``python -m infra.local.run`` (``make run``): the local stack with its data under ``.local/``,
the demo tenant seeded, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from infra.local.dynamodb import DynamoDBLocalNotInstalled
from infra.local.processes import LOOPBACK, EngineStartError, PortInUseError
from infra.local.stack import REPO_ROOT, LocalStack, port_from_env

DATA_DIR = REPO_ROOT / ".local"
SEED_MODULE = "infra.local.seed"
log = logging.getLogger("pulsedesk.local")


def seed_demo_tenant() -> list[tuple[str, str, str]]:
    """The demo logins, from ``infra.local.seed.seed()`` when that module exists (it is idempotent)."""
    if importlib.util.find_spec(SEED_MODULE) is None:
        return []
    logins: Sequence[tuple[str, str, str]] = importlib.import_module(SEED_MODULE).seed()
    return list(logins)


def _seed_or_report() -> list[tuple[str, str, str]]:
    """A failed seed is reported, and the stack keeps serving: the API is still worth having."""
    try:
        return seed_demo_tenant()
    except Exception:
        log.exception("seeding the demo tenant failed; the stack runs without demo logins")
        return []


def print_banner(stack: LocalStack, logins: list[tuple[str, str, str]]) -> None:
    print(f"\nPulsedesk is running at {stack.base_url}/  (Ctrl-C to stop)")
    print(f"  DynamoDB Local {stack.dynamodb_endpoint}   moto {stack.moto_endpoint}")
    print(f"  sent email: {stack.private_url}/_local/outbox   (private port: outbox and WebSocket management API)")
    print(f"  receive email: SMTP on {LOOPBACK}:{stack.smtp_port}, for @{stack.inbound_domain} only")
    demo_slug = getattr(sys.modules.get(SEED_MODULE), "SLUG", None)
    if logins and demo_slug:
        print(f"  the demo workspace's support address: {demo_slug}@{stack.inbound_domain}")
        print(f"  the demo help centre: {stack.base_url}/portal/{demo_slug}/help")
    requester = getattr(sys.modules.get(SEED_MODULE), "PORTAL_REQUESTER", None)
    if logins and demo_slug:
        portal = f"{stack.base_url}/portal/{demo_slug}"
        print(f"  customer portal: {portal}   (sign in as {requester}: the link is in the sent email)")
        widget = f'<script src="{stack.base_url}/widget.js" data-workspace="{demo_slug}"></script>'
        print(f"  public web form: {portal}/new   widget: {widget}")
    if logins:
        print("  demo logins, workspace 'demo' (role, email, password):")
        for role, email, password in logins:
            print(f"    {role:<8} {email:<32} {password}")
    sys.stdout.flush()


def wait_for_stop_signal() -> None:
    stopping = threading.Event()

    def request_stop(signum: int, _: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGHUP, request_stop)
    while not stopping.wait(1):
        pass


def main(data_dir: Path = DATA_DIR) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line-by-line session log
    stack = LocalStack(
        data_dir,
        front_port=port_from_env("front"),
        dynamodb_port=port_from_env("dynamodb"),
        moto_port=port_from_env("moto"),
        private_port=port_from_env("private"),
        smtp_port=port_from_env("smtp"),
    )
    atexit.register(stack.stop)
    try:
        stack.start()
    except (PortInUseError, DynamoDBLocalNotInstalled, EngineStartError) as error:
        print(f"cannot start the local stack: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print_banner(stack, _seed_or_report())
    wait_for_stop_signal()
    print("stopping...")
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
