"""The customer portal in headless Chromium on the local stack (issue 15's benchmark).

A workspace of PULSEDESK_BENCH_TICKETS tickets (default 10,000) in which one requester has 50 of them
(the rest spread over 500 other customers). The requester signs in the real way (the emailed link, read
from the local outbox), then: first contentful paint and "my requests" interactive (the first request's
link on the page), cold (a new browser profile: empty HTTP cache) and warm (the same tab again); and
the portal's own reads over HTTP, with the DynamoDB items they read, which load does not distort.
Prints figures; never fails on time."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from infra.local.stack import REPO_ROOT, LocalStack
from tests.browser import launch_chromium
from tests.integration.http import PASSWORD, Http, new_team
from tests.perf.figures import dynamo_calls, dynamo_items, list_ready_probe, summary_ms, table, timed
from tests.perf.seed import records_since, stream_consumers, stream_position, wait_for_stream
from tests.perf.test_bench_tickets import SIZE, WORDS

DIST = REPO_ROOT / "frontend" / "dist"
MINE = 50  # the signed-in requester's own tickets among SIZE
COLD_LOADS = 5
WARM_LOADS = 10
REPEAT = 40
REQUESTER = "portal-bench@customer.example"
_LINK = re.compile(r"/portal/[a-z0-9-]+/sign-in#token=([A-Za-z0-9_\-]+)")


def seed(tenant_id: str, admin_id: str) -> None:
    """SIZE unassigned tickets through the ticket service in-process; every (SIZE // MINE)th is the
    portal requester's."""
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal
    from chalicelib.services import ticket_writes

    admin = Principal(tenant_id, "user", admin_id, "Admin", "admin", permissions_for_role("admin"))
    every = max(1, SIZE // MINE)

    def create(n: int) -> None:
        rng = random.Random(n)
        requester = REQUESTER if n % every == 0 else f"customer{n % 500}@example.com"
        ticket_writes.create_ticket(
            admin,
            {
                "subject": f"{rng.choice(WORDS).title()} problem {n}",
                "description": " ".join(rng.sample(WORDS, 4)),
                "requester": {"email": requester, "name": "Pat Portal" if requester == REQUESTER else ""},
                "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
                "queue": rng.choice(["billing", "support", "technical"]),
                "tags": [],
                "assignee_id": None,
            },
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, range(SIZE)))


def wait_for_contact(http: Http, slug: str, timeout: float = 1800.0) -> None:
    """Signs the agent in again whenever its token ran out (the seed alone can outlast one)."""
    login = {"workspace": slug, "email": f"agent@{slug}.example.com", "password": PASSWORD}
    token = http.ok("POST", "/auth/login", body=login)["access_token"]
    deadline = time.monotonic() + timeout
    while True:
        answer = http.call("GET", f"/contacts?q={REQUESTER}", token)
        if answer.status_code == 401:
            token = http.ok("POST", "/auth/login", body=login)["access_token"]
            continue
        assert answer.status_code == 200, answer.text
        found = answer.json()["items"]
        if found and found[0]["ticket_count"] >= MINE:
            return
        assert time.monotonic() < deadline, "the stream never made the requester a contact of all their tickets"
        time.sleep(0.5)


def sign_in(http: Http, slug: str) -> dict[str, object]:
    assert http.call("POST", f"/portal/{slug}/sign-in", body={"email": REQUESTER}).status_code == 202
    assert http.read_outbox is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        links = [
            found.group(1)
            for mail in http.read_outbox()
            if REQUESTER in [a.lower() for a in mail["to"]]
            for found in [_LINK.search(mail["text"] or "")]
            if found
        ]
        if links:
            return http.ok("POST", f"/portal/{slug}/sign-in/confirm", body={"token": links[-1]})  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError("no sign-in link reached the requester")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = launch_chromium(driver)
        yield launched
        launched.close()


def new_context(browser: Browser, stack: LocalStack, slug: str, signed: dict[str, object]) -> BrowserContext:
    requester = signed["requester"]
    assert isinstance(requester, dict)
    session = {
        "token": signed["access_token"],
        "expiresAt": int(time.time() * 1000) + 3_000_000,
        "name": requester["name"],
        "email": requester["email"],
    }
    context = browser.new_context(base_url=stack.base_url, viewport={"width": 1440, "height": 900})
    # the requester's session as the portal keeps it (per tab), before the app starts
    key, value = json.dumps(f"pulsedesk.portal.{slug}"), json.dumps(json.dumps(session))
    keep_session = f"sessionStorage.setItem({key}, {value});"
    context.add_init_script(list_ready_probe(".portal-list__link", keep_session))
    return context


def load_my_requests(page: Page, slug: str) -> dict[str, float]:
    """Navigates to the portal's home (my requests); FCP and list-ready in ms since navigation start."""
    page.goto(f"/portal/{slug}")
    page.wait_for_function("() => window.__listReadyAt !== null", timeout=60_000)
    figures = page.evaluate(
        """() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
          ready: window.__listReadyAt,
        })"""
    )
    return {key: float(value) for key, value in figures.items() if value is not None}


def test_portal_first_paint_and_my_requests(bench_stack: LocalStack, browser: Browser) -> None:
    if not (DIST / "index.html").is_file():
        pytest.skip("frontend/dist is missing: `make bench` builds it first")
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=("agent",))
    admin = team.tokens["admin"]
    http.ok("PUT", "/settings/routing", admin, {"auto_assign_default": False})
    me = http.ok("GET", "/me", admin)
    before = stream_position(bench_stack.dynamodb_endpoint)
    started = time.perf_counter()
    seed(me["workspace"]["id"], me["user"]["id"])
    seeded = time.perf_counter()
    print(f"\nseeded {SIZE:,} tickets ({MINE} the requester's) in {seeded - started:.0f} s; waiting for the stream")
    # What the portal needs from the stream: its requester as a contact (no sign-in link is sent before)
    # counting all their tickets. Then the rest of the backlog, so no figure shares the machine with it.
    wait_for_contact(http, team.slug)
    contact_at = time.perf_counter()
    assert bench_stack.app is not None
    wait_for_stream(
        bench_stack.dynamodb_endpoint,
        bench_stack.data_dir / "stream-checkpoints.json",
        stream_consumers(bench_stack.app),
        quiet_checks=2,
    )
    drained = time.perf_counter() - 2.0  # less the quiet checks' last second
    records = records_since(bench_stack.dynamodb_endpoint, before)
    print(
        f"the requester's contact counted {MINE} tickets {contact_at - seeded:.0f} s after the seed; every stream"
        f" consumer had read the {records:,} records {drained - seeded:.0f} s after it"
        f" ({records / (drained - started):.0f} records/s per consumer over seed and drain)"
    )
    signed = sign_in(http, team.slug)

    # the portal's reads over HTTP, and what each reads from DynamoDB
    portal = requests.Session()
    portal.headers["Authorization"] = f"Bearer {signed['access_token']}"
    base = f"{bench_stack.base_url}/api/v1/portal/{team.slug}"

    def get(path: str) -> dict[str, object]:
        answer = portal.get(base + path)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    first = get("/requests?status=open")
    items = first["items"]
    assert isinstance(items, list) and len(items) == 25, "the requester's first page"
    rows = []
    for name, path in {
        "GET my requests (open, first page of 25)": "/requests?status=open",
        "GET one request with its conversation": f"/requests/{items[0]['id']}",
        "GET the portal's workspace": "",
    }.items():
        get(path)
        samples = timed(lambda p=path: get(p), REPEAT)
        with dynamo_calls("lambda") as calls, dynamo_items("lambda", "main") as read:
            get(path)
        figures = summary_ms(samples)
        rows.append([name, figures["p50"], figures["p95"], len(calls), sum(read)])
    table(
        f"Portal API on the local stack, workspace of {SIZE:,} tickets, the requester's {MINE} ({REPEAT} each)",
        ["request", "p50 ms", "p95 ms", "DynamoDB calls", "items read"],
        rows,
    )

    # Cold: a new browser profile each time (empty HTTP cache).
    cold: list[dict[str, float]] = []
    for _ in range(COLD_LOADS):
        context = new_context(browser, bench_stack, team.slug, signed)
        cold.append(load_my_requests(context.new_page(), team.slug))
        context.close()
    # Warm: the same tab again (hashed assets, the portal's lazy chunk included, from the cache).
    context = new_context(browser, bench_stack, team.slug, signed)
    page = context.new_page()
    load_my_requests(page, team.slug)
    warm = [load_my_requests(page, team.slug) for _ in range(WARM_LOADS)]
    context.close()

    def stat(samples: list[dict[str, float]], key: str) -> str:
        values = sorted(s[key] for s in samples if key in s)
        return f"{values[len(values) // 2]:.0f} / {values[-1]:.0f}" if values else "n/a"

    table(
        f"Customer portal in headless Chromium, workspace of {SIZE:,} tickets, the requester's {MINE}",
        ["measure", "value"],
        [
            [f"first contentful paint, cold (median / max of {COLD_LOADS}), ms", stat(cold, "fcp")],
            [f"my requests interactive, cold (median / max of {COLD_LOADS}), ms", stat(cold, "ready")],
            [f"first contentful paint, warm (median / max of {WARM_LOADS}), ms", stat(warm, "fcp")],
            [f"my requests interactive, warm (median / max of {WARM_LOADS}), ms", stat(warm, "ready")],
        ],
    )
