"""Issue 11, items 3 and 4 on the local stack: DynamoDB Local's real stream indexes the note, and
Amazon's own engine is the one that refused the inverted key range with a ValidationException."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, new_team

LATE, EARLY = "2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"


def eventually(condition: Callable[[], bool], what: str, timeout_seconds: float = 60) -> None:
    """Polls until the stream has done its work; the deadline bounds a hang, it measures nothing."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


def test_a_viewer_never_finds_a_ticket_through_its_internal_note(http: Http) -> None:
    team = new_team(http)
    body = {"subject": "Refund request", "description": "Please refund", "requester": {"email": "r@example.com"}}
    ticket = http.ok("POST", "/tickets", team.tokens["admin"], body)
    note = {"body": "refund code zqn14c600", "public": False}
    http.ok("POST", f"/tickets/{ticket['id']}/comments", team.tokens["agent"], note)

    def found(role: str, query: str) -> list[str]:
        return [t["id"] for t in http.ok("GET", f"/tickets?q={query}", team.tokens[role])["items"]]

    eventually(lambda: found("agent", "zqn1") == [ticket["id"]], "the note to be indexed")
    assert found("viewer", "zqn1") == [] and found("viewer", "zqn14c600") == []
    assert found("viewer", "refun") == [ticket["id"]]


def test_an_inverted_range_is_a_422_and_a_view_with_it_is_never_stored(http: Http) -> None:
    team = new_team(http)
    for params, field in [
        (f"updated_after={LATE}&updated_before={EARLY}", "updated_before"),
        (f"created_after={LATE}&created_before={EARLY}&sort=created_at", "created_before"),
    ]:
        reply = http.call("GET", f"/tickets?{params}", team.tokens["viewer"])
        assert reply.status_code == 422, reply.text
        assert [e["field"] for e in reply.json()["errors"]] == [field]

    filters = {"updated_after": LATE, "updated_before": EARLY}
    reply = http.call("POST", "/views", team.tokens["lead"], {"name": "Broken", "filters": filters, "shared": True})
    assert reply.status_code == 422, reply.text
    listed = http.ok("GET", "/views", team.tokens["viewer"])["items"]
    assert [v for v in listed if not v["builtin"]] == []
