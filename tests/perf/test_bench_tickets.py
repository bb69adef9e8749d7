"""Ticket reads and writes on the local stack with a large workspace (issue 3's benchmark).

PULSEDESK_BENCH_TICKETS sets the workspace size (default 10,000)."""

from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from infra.local.stack import LocalStack
from tests.integration.http import PASSWORD, Http, new_team
from tests.perf.figures import dynamo_calls, summary_ms, table, timed

SIZE = int(os.environ.get("PULSEDESK_BENCH_TICKETS", "10000"))
REPEAT = 40
WORDS = ["refund", "invoice", "login", "export", "crash", "password", "upgrade", "webhook", "mobile", "import"]


def synthetic_ticket(n: int, assignees: list[str | None] | None = None) -> dict[str, Any]:
    """Ticket ``n`` of a benchmark's workspace, the same on every run: words from WORDS, 500 customers,
    one of three queues and tags; assigned to one of ``assignees`` (or nobody)."""
    rng = random.Random(n)
    return {
        "subject": f"{rng.choice(WORDS).title()} problem {n}",
        "description": " ".join(rng.sample(WORDS, 4)),
        "requester": {"email": f"customer{n % 500}@example.com", "name": ""},
        "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
        "queue": rng.choice(["billing", "support", "technical"]),
        "tags": rng.sample(["vip", "bug", "eu"], 1),
        "assignee_id": rng.choice(assignees) if assignees else None,
    }


def seed(tenant_id: str, admin_id: str, agents: list[str]) -> None:
    from chalicelib.domain.errors import Conflict
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal
    from chalicelib.services import ticket_writes

    admin = Principal(tenant_id, "user", admin_id, "Admin", "admin", permissions_for_role("admin"))

    def create(n: int) -> None:
        for _ in range(10):  # as a client would: a lost race on an agent's load counter is retried
            try:
                return create_once(n)
            except Conflict:
                continue
        raise RuntimeError("kept conflicting")

    def create_once(n: int) -> None:
        ticket_writes.create_ticket(admin, synthetic_ticket(n, [*agents, None, None]))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, range(SIZE)))


def wait_for_search_index(session: requests.Session, base: str, sign_in: Callable[[], None] | None = None) -> None:
    """The keyword index is built from the stream; measure search only once it has caught up."""
    deadline = time.monotonic() + 1800
    for n in range(SIZE - 1, max(SIZE - 30, -1), -1):
        while True:
            response = session.get(f"{base}/tickets?q=problem%20{n}")
            if response.status_code == 401 and sign_in is not None:
                sign_in()  # the wait can outlast an access token
                continue
            if response.json().get("items"):
                break
            assert time.monotonic() < deadline, "the stream never caught up"
            time.sleep(0.5)


def wait_for_quiet_notifications(stack: LocalStack) -> None:
    """The seed's tickets queue their emails; measure only once the queue's consumer is idle, so the
    figures are the API's own and not a share of the machine with a delivery backlog."""
    import boto3

    from chalicelib.settings import get_settings

    sqs = boto3.client("sqs", endpoint_url=stack.moto_endpoint, region_name="us-east-1")
    url = sqs.get_queue_url(QueueName=get_settings().notifications_queue_name)["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + 1800
    while sum(int(v) for v in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"].values()):
        assert time.monotonic() < deadline, "the notification queue never drained"
        time.sleep(0.5)


def test_ticket_api_latency(bench_stack: LocalStack) -> None:
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=("lead", "agent", *(f"agent{n}" for n in range(8))))
    admin = team.tokens["admin"]
    http.ok("PUT", "/settings/routing", admin, {"auto_assign_default": False})
    me = http.ok("GET", "/me", admin)
    started = time.monotonic()
    seed(me["workspace"]["id"], me["user"]["id"], [i for role, i in team.ids.items() if role != "admin"])
    seeded = time.monotonic()
    session = requests.Session()
    agent_login = {"workspace": team.slug, "email": f"agent@{team.slug}.example.com", "password": PASSWORD}

    def sign_in() -> None:
        session.headers["Authorization"] = f"Bearer {http.ok('POST', '/auth/login', body=agent_login)['access_token']}"

    sign_in()
    base = f"{bench_stack.base_url}/api/v1"
    sample = session.get(f"{base}/tickets?limit=1").json()["items"][0]
    wait_for_search_index(session, base, sign_in)
    wait_for_quiet_notifications(bench_stack)
    print(
        f"\nset-up: {SIZE:,} tickets created through the service in {seeded - started:.0f} s;"
        f" the stream and queue consumers caught up {time.monotonic() - seeded:.0f} s later"
    )
    sign_in()  # a fresh 15-minute token for the measurements

    def get(path: str) -> Any:
        response = session.get(base + path)
        assert response.status_code == 200, response.text
        return response.json()

    views = {
        "all, newest change first": "/tickets?limit=25",
        "my open tickets": "/tickets?assignee=me&status=new&status=open&status=pending&status=on_hold&limit=25",
        "unassigned new+open": "/tickets?assignee=unassigned&status=new&status=open&limit=25",
        "urgent, by priority": "/tickets?priority=urgent&sort=priority&limit=25",
        "queue billing + tag vip": "/tickets?queue=billing&tag=vip&limit=25",
        "search q=refund": "/tickets?q=refund&limit=25",
        "ticket with conversation": f"/tickets/{sample['id']}",
    }
    rows = []
    for name, path in views.items():
        get(path)  # warm
        samples = timed(lambda p=path: get(p), REPEAT)
        with dynamo_calls("lambda") as calls:
            get(path)
        figures = summary_ms(samples)
        rows.append([name, figures["p50"], figures["p95"], len(calls), ", ".join(sorted(set(calls)))])

    version = [get(f"/tickets/{sample['id']}")["ticket"]["version"]]

    priorities = itertools.cycle(["low", "normal", "high"])

    def patch() -> None:
        priority = next(priorities)  # always a real change (the same value would be a no-op read)
        response = session.patch(
            f"{base}/tickets/{sample['id']}", json={"priority": priority}, headers={"If-Match": str(version[0])}
        )
        assert response.status_code == 200, response.text
        version[0] = response.json()["version"]

    samples = timed(patch, REPEAT)
    with dynamo_calls("lambda") as calls:
        patch()
    figures = summary_ms(samples)
    rows.append(["PATCH priority", figures["p50"], figures["p95"], len(calls), ", ".join(sorted(set(calls)))])
    table(
        f"Ticket API on the local stack, workspace of {SIZE:,} tickets ({REPEAT} requests each)",
        ["request", "p50 ms", "p95 ms", "DynamoDB calls", "operations"],
        rows,
    )
