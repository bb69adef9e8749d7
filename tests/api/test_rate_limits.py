"""Rate limits (issue 11, item 6): 300 quick requests were 300 x 200; the sign-in lock had no per-address
dimension, so spraying many accounts was unthrottled and anyone could keep a user locked out.

Every test here sets its own low limits; addresses are unique per test, so counters of other tests
never count (each counter is keyed by workspace, key or address, and window).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.client import BaseClient

from chalicelib.api.routing import viewer_address
from chalicelib.data.models import RateCounterItem
from tests.api.client import PASSWORD, ApiClient, Reply, Workspace, new_api_key
from tests.api.notifications_support import overridden_settings


def an_address() -> str:
    part = uuid.uuid4().hex
    return f"2001:db8::{part[:4]}:{part[4:8]}"  # a documentation address, unique per test


def assert_too_many(reply: Reply) -> None:
    assert reply.status == 429, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert 0 < int(reply.headers["Retry-After"]) <= 3600
    assert reply.body["type"] == "urn:pulsedesk:problem:too-many-requests"


@pytest.fixture
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock stands still: a token bucket refills as time passes, and a slow run must not see a refill."""
    now = time.time()
    monkeypatch.setattr("chalicelib.services.rate_limits._now", lambda: now)


@pytest.fixture
def low_limits(still_clock: None) -> Iterator[None]:
    limits = (
        "api.workspace=20/60,api.key=5/60,auth.ip=6/60,signup.ip=2/3600,unauthenticated.ip=4/60,login_failures.ip=8/900"
    )
    with overridden_settings(PULSEDESK_RATE_LIMITS=limits):
        yield


def test_a_workspace_past_its_limit_gets_429_and_other_workspaces_do_not(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, low_limits: None
) -> None:
    # GIVEN a workspace that makes more requests than its limit allows in one window
    replies = [api.get("/tickets", workspace.token("agent")) for _ in range(25)]
    statuses = [r.status for r in replies]

    # THEN what is left of its 20 passes (setting the workspace up used a few), the rest are refused
    # with Retry-After, and nobody else is slowed down
    first_refused = statuses.index(429)
    assert 15 <= first_refused <= 20
    assert statuses == [200] * first_refused + [429] * (25 - first_refused)
    assert_too_many(replies[-1])
    assert api.get("/tickets", other_workspace.token("agent")).status == 200


def test_signed_in_answers_say_what_is_left_of_the_workspace_bucket(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, low_limits: None
) -> None:
    # GIVEN a workspace's bucket of 20 (a request every 3 s, bursts of 20)
    replies = [api.get("/tickets", workspace.token("agent")) for _ in range(22)]
    granted = [r for r in replies if r.status == 200]
    remaining = [int(r.headers["RateLimit-Remaining"]) for r in granted]
    # THEN each answer counts down, and the policy is stated
    assert remaining == sorted(remaining, reverse=True) and remaining[-1] == 0
    assert all(r.headers["RateLimit-Limit"] == "20" and r.headers["RateLimit-Policy"] == "20;w=60" for r in granted)
    # AND the refusal says when one more fits: one interval (3 s), with the bucket's figures
    refused = replies[-1]
    assert_too_many(refused)
    assert refused.headers["Retry-After"] == "3"
    assert refused.headers["RateLimit-Remaining"] == "0"
    # AND another workspace's bucket is full
    other = api.get("/tickets", other_workspace.token("agent"))
    assert other.status == 200 and int(other.headers["RateLimit-Remaining"]) >= 15


def test_a_bucket_refills_at_its_steady_rate(
    api: ApiClient, workspace: Workspace, low_limits: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = time.time()
    monkeypatch.setattr("chalicelib.services.rate_limits._now", lambda: start)
    statuses = [api.get("/tickets", workspace.token("agent")).status for _ in range(22)]
    assert statuses[-1] == 429
    monkeypatch.setattr("chalicelib.services.rate_limits._now", lambda: start + 3.1)
    assert api.get("/tickets", workspace.token("agent")).status == 200  # one token came back
    assert api.get("/tickets", workspace.token("agent")).status == 429


def test_an_api_key_has_a_limit_of_its_own(api: ApiClient, workspace: Workspace, low_limits: None) -> None:
    key = new_api_key(api, workspace, ["tickets.read"])
    replies = [api.get("/tickets", key) for _ in range(7)]
    assert [r.status for r in replies] == [200] * 5 + [429] * 2
    assert_too_many(replies[-1])
    assert api.get("/tickets", workspace.token("agent")).status == 200  # people of the workspace go on


def test_sign_in_attempts_are_limited_per_address(api: ApiClient, workspace: Workspace, low_limits: None) -> None:
    address = an_address()
    email = workspace.members["agent"].email
    body = {"workspace": workspace.slug, "email": email, "password": PASSWORD}
    replies = [api.post("/auth/login", body, source_ip=address) for _ in range(8)]
    assert [r.status for r in replies] == [200] * 6 + [429] * 2
    assert_too_many(replies[-1])
    assert api.post("/auth/login", body, source_ip=an_address()).status == 200  # another address is not slowed


def test_spraying_many_accounts_from_one_address_is_stopped(
    api: ApiClient, workspace: Workspace, low_limits: None
) -> None:
    # GIVEN an address that tries one password on many accounts (no account reaches its own lock)
    address = an_address()
    with overridden_settings(
        PULSEDESK_RATE_LIMITS="auth.ip=1000/60,login_failures.ip=8/900,login_failures.account_ip=5/900"
    ):
        for n in range(8):
            body = {"workspace": workspace.slug, "email": f"person{n}@example.com", "password": "Summer2026!"}
            assert api.post("/auth/login", body, source_ip=address).status == 401
        # WHEN it tries one more account, even a real one with the right password
        right = {"workspace": workspace.slug, "email": workspace.members["lead"].email, "password": PASSWORD}
        # THEN it is refused until the window resets
        assert_too_many(api.post("/auth/login", right, source_ip=address))
        # while the lead, from their own address, signs in
        assert api.post("/auth/login", right, source_ip=an_address()).status == 200


def test_a_stranger_cannot_lock_a_user_out(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN an attacker who fails five times on the agent's account from their address
    attacker, agent = an_address(), workspace.members["agent"]
    wrong = {"workspace": workspace.slug, "email": agent.email, "password": "not the password"}
    for _ in range(5):
        assert api.post("/auth/login", wrong, source_ip=attacker).status == 401

    # THEN the attacker's address is locked for that account ...
    right = {**wrong, "password": PASSWORD}
    assert_too_many(api.post("/auth/login", right, source_ip=attacker))
    # ... and the agent, from their own address, still signs in
    assert api.post("/auth/login", right, source_ip=an_address()).status == 200


def test_an_account_guessed_at_from_many_addresses_is_locked(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    wrong = {"workspace": workspace.slug, "email": agent.email, "password": "not the password"}
    with overridden_settings(PULSEDESK_RATE_LIMITS="login_failures.account=6/900,login_failures.ip=1000/900"):
        for _ in range(6):
            assert api.post("/auth/login", wrong, source_ip=an_address()).status == 401
        assert_too_many(api.post("/auth/login", {**wrong, "password": PASSWORD}, source_ip=an_address()))


def test_sign_ups_are_limited_per_address(api: ApiClient, low_limits: None) -> None:
    address = an_address()
    replies = []
    for _ in range(3):
        slug = f"rl-{uuid.uuid4().hex[:10]}"
        body = {
            "workspace_name": "Rate limited",
            "workspace_slug": slug,
            "name": "Ada",
            "email": f"ada@{slug}.example.com",
            "password": PASSWORD,
        }
        replies.append(api.post("/auth/signup", body, source_ip=address))
    assert replies[0].status < 300 and replies[1].status < 300
    assert_too_many(replies[2])


def test_refused_credentials_are_limited_per_address(api: ApiClient, low_limits: None) -> None:
    address = an_address()
    replies = [api.get("/tickets", "not-a-token", source_ip=address) for _ in range(5)]
    assert [r.status for r in replies[:4]] == [401] * 4
    assert_too_many(replies[4])


def test_the_address_comes_from_the_trusted_proxy_header_when_configured(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a deployment where only CloudFront reaches the API, which names the viewer's address
    viewer = an_address()
    header = {"cloudfront-viewer-address": f"{viewer}:44321"}
    wrong = {"workspace": workspace.slug, "email": workspace.members["agent"].email, "password": "nope nope"}
    with overridden_settings(PULSEDESK_CLIENT_IP_HEADER="CloudFront-Viewer-Address"):
        for _ in range(5):
            assert api.post("/auth/login", wrong, headers=header).status == 401
        # THEN the lock is on the viewer's address, not on the proxy's
        right = {**wrong, "password": PASSWORD}
        assert_too_many(api.post("/auth/login", right, headers=header))
        assert api.post("/auth/login", right, headers={"cloudfront-viewer-address": f"{an_address()}:1"}).status == 200


@pytest.mark.parametrize(
    "header, address",
    [
        ("203.0.113.9:443", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1:443", "2001:db8::1"),
        ("203.0.113.9", "203.0.113.9"),
        ("not an address", None),
    ],
)
def test_the_viewer_address_header_names_the_ip(header: str, address: str | None) -> None:
    assert viewer_address(header) == address


def test_an_ipv6_viewer_is_limited_on_its_own_address(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN CloudFront naming an IPv6 viewer in brackets, as the API sees it behind the edge
    wrong = {"workspace": workspace.slug, "email": workspace.members["agent"].email, "password": "nope nope"}
    right = {**wrong, "password": PASSWORD}
    viewer = {"cloudfront-viewer-address": "[2001:db8::9]:443"}
    with overridden_settings(PULSEDESK_CLIENT_IP_HEADER="CloudFront-Viewer-Address"):
        for _ in range(5):
            assert api.post("/auth/login", wrong, headers=viewer).status == 401
        # THEN that viewer is locked out, from any port, while another IPv6 viewer is not
        assert_too_many(api.post("/auth/login", right, headers={"cloudfront-viewer-address": "[2001:db8::9]:1"}))
        assert api.post("/auth/login", right, headers={"cloudfront-viewer-address": "[2001:db8::10]:443"}).status == 200


def counted_bucket_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rate-limit table's UpdateItems from now on (a bucket write each)."""
    writes: list[str] = []
    make_api_call = BaseClient._make_api_call

    def counted(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if params.get("TableName") == RateCounterItem.Meta.table_name and operation == "UpdateItem":
            writes.append(operation)
        return make_api_call(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    return writes


def test_a_busy_workspace_takes_its_tokens_a_few_at_a_time_and_still_stops_at_its_quota(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, still_clock: None
) -> None:
    # GIVEN a workspace quota of 200 a minute (leases of 2 tokens at most: 1 %) and a clock standing still
    bucket_writes = counted_bucket_writes(monkeypatch)
    with overridden_settings(PULSEDESK_RATE_LIMITS="api.workspace=200/60"):
        # WHEN it asks for more than its quota
        statuses = [api.get("/tickets", workspace.token("agent")).status for _ in range(205)]

    # THEN what was left of the 200 passed and nothing more (the last tokens were taken one at a time), with
    # about one bucket write per two requests
    first_refused = statuses.index(429)
    assert 190 <= first_refused <= 200
    assert statuses == [200] * first_refused + [429] * (205 - first_refused)
    assert len(bucket_writes) < 0.6 * len(statuses)


def test_under_the_default_quota_a_busy_container_writes_the_bucket_about_once_a_second(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, still_clock: None
) -> None:
    # GIVEN the default quota (3,000 a minute: leases of up to 16 tokens) and a clock standing still
    bucket_writes = counted_bucket_writes(monkeypatch)
    with overridden_settings(PULSEDESK_RATE_LIMITS="api.workspace=3000/60"):
        # WHEN 47 requests come within a second
        replies = [api.get("/tickets", workspace.token("agent")) for _ in range(47)]

    # THEN leases of 1, 2, 4, 8, 16 and 16 tokens served them: six writes; and every answer says what is left
    assert {r.status for r in replies} == {200}
    assert len(bucket_writes) == 6
    remaining = [int(r.headers["RateLimit-Remaining"]) for r in replies]
    assert remaining == sorted(remaining, reverse=True) and remaining[0] <= 2999
