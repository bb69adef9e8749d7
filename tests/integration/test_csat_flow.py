"""CSAT on the local stack: a solved ticket's email in the local outbox carries the survey links; the
requester answers Good, then Bad (the last counts, on the ticket and in its history); a tampered link
is refused with a clear problem."""

from __future__ import annotations

import re
import time
from typing import Any

from infra.local.stack import LocalStack
from tests.integration.http import Http, new_team, outbox
from tests.integration.mail import WAIT_SECONDS

LINK = re.compile(r"/csat/([A-Za-z0-9_~-]+)\?rating=(good|bad)")


def survey_mail(stack: LocalStack, address: str, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in outbox(stack):
            if address in [a.lower() for a in mail["to"]] and "was solved" in mail["subject"]:
                return mail
        time.sleep(0.1)
    raise AssertionError(f"no solve email reached {address}")


def wait_for(check: Any, timeout: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError("never happened")


def test_good_then_bad_the_last_counts_and_a_tampered_link_is_refused(local_stack: LocalStack) -> None:
    http = Http.for_stack(local_stack)
    team = new_team(http, roles=("agent",))
    agent = team.tokens["agent"]
    requester = f"csat-{team.slug}@example.org"
    body = {"subject": "Cannot sign in", "description": "Help", "requester": {"email": requester, "name": "Rae"}}
    ticket = http.ok("POST", "/tickets", agent, body)

    # GIVEN the ticket is solved, and the requester's email arrives with the two links
    http.ok("PATCH", f"/tickets/{ticket['id']}", agent, {"status": "solved", "version": ticket["version"]})
    mail = survey_mail(local_stack, requester)
    links = {rating: token for token, rating in LINK.findall(mail["text"])}
    assert set(links) == {"good", "bad"} and "How did we do?" in mail["html"]
    token = links["good"]

    # WHEN the requester clicks Good, then changes their mind to Bad with a comment
    assert http.ok("POST", f"/csat/{token}", body={"rating": "good"})["rating"] == "good"
    answer = http.ok("POST", f"/csat/{links['bad']}", body={"rating": "bad", "comment": "Still broken"})

    # THEN the last answer counts, on the ticket and in its history
    assert (answer["rating"], answer["comment"]) == ("bad", "Still broken")
    seen = http.ok("GET", f"/tickets/{ticket['id']}", agent)["ticket"]["csat"]
    assert seen["rating"] == "bad" and seen["comment"] == "Still broken"
    history = http.ok("GET", f"/tickets/{ticket['id']}/history", agent)["items"]
    assert [c["to"] for e in history for c in e["changes"] if c["field"] == "csat"] == ["good", "bad"]
    # AND the metrics fold counted only the last answer (the stream consumer ran on DynamoDB Local)
    day = time.strftime("%Y-%m-%d", time.gmtime())

    def csat_counts() -> tuple[int, int] | None:
        figures = http.ok("GET", f"/metrics?from={day}&to={day}", team.tokens["admin"])
        counts = (figures["csat_good"], figures["csat_bad"])
        return counts if counts == (0, 1) else None

    assert wait_for(csat_counts) == (0, 1)

    # AND a tampered link is refused with a problem, changing nothing
    tampered = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
    refused = http.call("POST", f"/csat/{tampered}", body={"rating": "good"})
    assert refused.status_code == 400 and refused.headers["Content-Type"] == "application/problem+json"
    assert "not valid" in refused.json()["detail"]
    assert http.ok("GET", f"/tickets/{ticket['id']}", agent)["ticket"]["csat"]["rating"] == "bad"
