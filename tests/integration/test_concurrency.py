"""Concurrent writers through the real HTTP front and DynamoDB Local: no write lost, none
applied twice, numbers never reused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team

WRITERS = 20


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


@pytest.fixture(scope="module")
def team(http: Http) -> Team:
    return new_team(http, roles=("lead",))


def new_ticket(http: Http, team: Team) -> dict[str, Any]:
    return http.ok(
        "POST",
        "/tickets",
        team.tokens["lead"],
        {  # type: ignore[no-any-return]
            "subject": "Contended",
            "description": "x",
            "requester": {"email": "r@example.com"},
        },
    )


def tag_changes(http: Http, team: Team, ticket_id: str) -> list[dict[str, Any]]:
    history = http.ok("GET", f"/tickets/{ticket_id}/history?limit=100", team.tokens["lead"])["items"]
    return [c for entry in history for c in entry["changes"] if c["field"] == "tags"]


def test_writers_of_the_same_version_one_applies_the_rest_get_409(http: Http, team: Team) -> None:
    ticket = new_ticket(http, team)

    def write(n: int) -> int:
        return http.call(
            "PATCH", f"/tickets/{ticket['id']}", team.tokens["lead"], {"tags": [f"writer-{n}"]}, {"If-Match": "1"}
        ).status_code

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(write, range(WRITERS)))
    assert sorted(set(statuses)) == [200, 409] and statuses.count(200) == 1
    final = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["lead"])["ticket"]
    assert final["version"] == 2 and len(tag_changes(http, team, ticket["id"])) == 1


def test_retrying_writers_all_apply_and_history_shows_exactly_the_applied_ones(http: Http, team: Team) -> None:
    ticket = new_ticket(http, team)

    def add_my_tag(n: int) -> int:
        """A well-behaved client: on 409, take the current ticket from the answer and re-apply."""
        current, conflicts = ticket, 0
        while True:
            wanted = sorted({*current["tags"], f"writer-{n:02d}"})
            response = http.call(
                "PATCH",
                f"/tickets/{ticket['id']}",
                team.tokens["lead"],
                {"tags": wanted},
                {"If-Match": str(current["version"])},
            )
            if response.status_code == 200:
                return conflicts
            assert response.status_code == 409, response.text
            current, conflicts = response.json()["current"], conflicts + 1

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        conflicts = list(pool.map(add_my_tag, range(WRITERS)))
    final = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["lead"])["ticket"]
    assert final["tags"] == [f"writer-{n:02d}" for n in range(WRITERS)], "no write was lost"
    assert final["version"] == 1 + WRITERS, "each write applied exactly once"
    assert len(tag_changes(http, team, ticket["id"])) == WRITERS
    assert sum(conflicts) > 0, "the writers really did race"


def test_concurrent_creations_get_distinct_consecutive_numbers(http: Http) -> None:
    team = new_team(http, roles=("lead",))
    with ThreadPoolExecutor(max_workers=25) as pool:
        numbers = sorted(pool.map(lambda _: new_ticket(http, team)["number"], range(50)))
    assert numbers == list(range(1, 51))
