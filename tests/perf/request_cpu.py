"""CPU per request of the hot paths, in process time, with the top of the profile that explains it.

    .venv/bin/python -m tests.perf.request_cpu [--requests 40] [--top 25] [--engine local]

Runs the app in this process through chalice's test client against moto (no stack to start), times each
request with ``time.process_time`` and profiles it with cProfile. moto's emulated DynamoDB runs in the same
process: its share (everything under moto's botocore stub) is measured and taken off, so the figure is the
app's own CPU (routing, validation, auth, botocore marshalling, serialisation) — what a Lambda is billed for
besides waiting on DynamoDB. Part of moto's work (its response serialiser, run by botocore's parser) is not
under its stub and stays in the figure: ``--engine local`` serves DynamoDB from DynamoDB Local in memory and
the other services from a moto server, both processes of their own, so this process's time is the app's
alone. Process time is not wall time: it is not inflated by other processes on the machine, so figures taken
on a busy machine stay comparable. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("PULSEDESK_ACCESS_CHECK_SECONDS", "5")  # the production default, not the tests' 30
import tests.conftest  # noqa: F401 - the test settings (keys, table prefix, cheapest argon2)

MOTO_STUB = "botocore_stubber.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests timed per kind")
    parser.add_argument("--top", type=int, default=20, help="functions shown per profile (by own time, moto left out)")
    parser.add_argument("--only", default="", help="comma-separated kinds to profile (all by default)")
    parser.add_argument("--callers", default="", help="also print who calls the functions matching this regex")
    parser.add_argument("--engine", choices=("moto", "local"), default="moto", help="local: DynamoDB Local + moto")
    args = parser.parse_args()
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[name]
    if args.engine == "local":
        _on_local_engines(args)
        return

    from chalice.test import Client
    from moto import mock_aws

    with mock_aws():
        from chalicelib.data.models import TABLE_MODELS
        from chalicelib.data.store import reset_connections
        from tests.api.moto_transactions import fast_moto_dynamodb
        from tests.api.notifications_support import create_notification_infra

        reset_connections()
        for model in TABLE_MODELS:
            model.create_table(wait=True)
        create_notification_infra()
        from app import app
        from tests.api.client import new_workspace

        with fast_moto_dynamodb(), Client(app, project_dir=os.getcwd()) as client:
            _run(client, args, new_workspace)


def _on_local_engines(args: argparse.Namespace) -> None:
    import tempfile
    from pathlib import Path

    from chalice.test import Client

    from infra.local.stack import LocalEngines

    with tempfile.TemporaryDirectory(prefix="pulsedesk-request-cpu-") as data_dir:
        engines = LocalEngines(Path(data_dir), dynamodb_port=0, moto_port=0, in_memory=True)
        engines.start()
        try:
            from app import app

            with Client(app, project_dir=os.getcwd()) as client:
                _run(client, args, _confirmed_workspace)
        finally:
            engines.stop()


def _confirmed_workspace(api: Any) -> Any:
    """A workspace made through the service (the sign-up mail goes to the moto server, out of reach of the
    in-process reader ``new_workspace`` uses), its agent added and signed in through the API."""
    import uuid

    from chalicelib.services import signup
    from tests.api.client import PASSWORD, Member, Workspace

    slug = f"cpu-{uuid.uuid4().hex[:10]}"
    admin_email = f"admin@{slug}.example.com"
    signup.create_confirmed_workspace(
        workspace_name="CPU", workspace_slug=slug, name="Ada Admin", email=admin_email, password=PASSWORD
    )
    workspace = Workspace(slug, "")
    for role in ("admin", "agent"):
        email = f"{role}@{slug}.example.com"
        if role != "admin":
            body = {"name": "Agent Person", "email": email, "role": role, "password": PASSWORD}
            assert api.post("/users", body, workspace.token("admin")).status == 201
        login = api.post("/auth/login", {"workspace": slug, "email": email, "password": PASSWORD})
        assert login.status == 200, login.body
        workspace.members[role] = Member(
            login.body["user"]["id"], email, role, login.body["access_token"], login.body["refresh_token"]
        )
    return workspace


def _run(client: Any, args: argparse.Namespace, make_workspace: Callable[[Any], Any]) -> None:
    from tests.api.client import PASSWORD, ApiClient

    api = ApiClient(client)
    workspace = make_workspace(api)
    agent = workspace.token("agent")
    requester = {"email": "ada@customer.example", "name": "Ada"}
    tickets = [
        api.post("/tickets", {"subject": f"Printer {n}", "description": "On fire", "requester": requester}, agent).body
        for n in range(60)
    ]
    for ticket in tickets[:20]:
        api.post(f"/tickets/{ticket['id']}/comments", {"body": "Looking into it.", "public": True}, agent)
    refresh = {"token": workspace.members["agent"].refresh_token}
    login = {"workspace": workspace.slug, "email": workspace.members["agent"].email, "password": PASSWORD}
    counter = iter(range(10**6))

    def refreshed() -> Any:
        answer = api.post("/auth/refresh", {"refresh_token": refresh["token"]})
        refresh["token"] = answer.body["refresh_token"]
        return answer

    kinds: dict[str, Callable[[], Any]] = {
        "ticket detail": lambda: api.get(f"/tickets/{tickets[next(counter) % 60]['id']}", agent),
        "filtered list": lambda: api.get("/tickets?status=new&status=open&priority=normal&limit=25", agent),
        "create": lambda: api.post(
            "/tickets", {"subject": "Cannot log in", "description": "Since this morning", "requester": requester}, agent
        ),
        "reply": lambda: api.post(
            f"/tickets/{tickets[next(counter) % 60]['id']}/comments", {"body": "Done.", "public": True}, agent
        ),
        "login": lambda: api.post("/auth/login", login),
        "refresh": refreshed,
        "search (q=printer)": lambda: api.get("/tickets?q=printer&limit=25", agent),
    }
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    print(f"{'request':<22}{'app CPU ms p50':>16}{'mean':>8}{'moto ms p50':>13}")
    profiles: dict[str, pstats.Stats] = {}
    for name, request in kinds.items():
        if only and name not in only:
            continue
        for _ in range(5):  # warm: first-use imports and model builds are the cold start's, not a request's
            assert request().status < 400
        app_ms, moto_ms = [], []
        combined: pstats.Stats | None = None
        for _ in range(args.requests):
            profiler = cProfile.Profile()
            started = time.process_time()
            profiler.enable()
            answer = request()
            profiler.disable()
            total = time.process_time() - started
            assert answer.status < 400, answer.body
            stats = pstats.Stats(profiler)
            moto = _moto_seconds(stats)
            # cProfile slows what it measures evenly: scale moto's share of the profile onto the real total
            profiled = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
            moto_share = min(moto / profiled, 1.0)
            app_ms.append(total * (1 - moto_share) * 1000)
            moto_ms.append(total * moto_share * 1000)
            combined = stats if combined is None else combined.add(stats)
        assert combined is not None
        profiles[name] = combined
        print(
            f"{name:<22}{statistics.median(app_ms):>16.2f}{statistics.mean(app_ms):>8.2f}{statistics.median(moto_ms):>13.2f}"
        )
    for name, stats in profiles.items():
        print(f"\n--- {name}: top {args.top} by own time, moto left out ---")
        print(_top(stats, args.top))
        if args.callers:
            stats.stream = sys.stdout  # type: ignore[attr-defined]
            stats.sort_stats("cumulative").print_callers(args.callers)


def _moto_seconds(stats: pstats.Stats) -> float:
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(
        cumtime
        for (path, _, func), (_, _, _, cumtime, _) in table.items()
        if path.endswith(MOTO_STUB) and func == "__call__"
    )


def _top(stats: pstats.Stats, count: int) -> str:
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(r"^(?!.*(/moto/|/werkzeug/|/jinja2/|/responses/|/xmltodict)).*$", count)
    return "\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip())


if __name__ == "__main__":
    main()
