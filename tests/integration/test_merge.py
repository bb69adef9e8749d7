"""Merging on the local stack, end to end: two tickets opened by mail over SMTP, the duplicate merged
through the API; the customer's one email about it goes out through the real stream, workflows and
moto SES, and their answer to that email (sent back over SMTP) threads into the target ticket."""

from __future__ import annotations

import uuid

import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team
from tests.integration.mail import customer_mail, emails_to, eventually, send_smtp
from tests.integration.test_email_in import comments_with, conversation, opened_by_mail, tickets


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


@pytest.fixture(scope="module")
def team(http: Http) -> Team:
    return new_team(http, roles=("agent",))


def test_merge_carries_the_conversation_and_a_later_reply_threads_into_the_target(
    local_stack: LocalStack, http: Http, team: Team
) -> None:
    # GIVEN a customer who wrote twice about the same thing
    customer = f"ada-{uuid.uuid4().hex[:8]}@customer.example"
    target = opened_by_mail(local_stack, http, team, customer, "Printer on fire")
    duplicate = opened_by_mail(local_stack, http, team, customer, "Printer still on fire")
    # WHEN an agent merges the second into the first
    merged = http.ok(
        "POST",
        f"/tickets/{duplicate['id']}/merge",
        team.tokens["agent"],
        {"into": target["id"], "version": duplicate["version"]},
    )
    assert merged["ticket"]["status"] == "closed" and merged["ticket"]["merged_into"]["id"] == target["id"]
    # THEN the target holds the duplicate's conversation
    carried = f"#{duplicate['number']} Printer still on fire\n\nIt is on fire. Please help."
    assert comments_with(http, team, target["id"], carried)
    # AND the customer is told once, in the duplicate's thread
    told = eventually(
        lambda: [m for m in emails_to(local_stack, customer) if "merged it there" in (m["text"] or "")],
        what="the merge notice in the outbox",
    )
    assert len(told) == 1
    reply_to = told[0]["headers"]["Reply-To"]
    # WHEN the customer answers that email
    answer = customer_mail(reply_to, "Re: " + told[0]["subject"], "Thanks, it is still smoking.")
    answer.replace_header("From", customer)
    send_smtp(local_stack, answer)
    # THEN the answer lands on the target, and no new ticket is opened
    (comment,) = eventually(
        lambda: comments_with(http, team, target["id"], "Thanks, it is still smoking."), what="the threaded reply"
    )
    assert comment["public"] is True and comment["author"]["id"] == customer
    assert sorted(t["id"] for t in tickets(http, team, requester=customer)) == sorted([target["id"], duplicate["id"]])
    assert conversation(http, team, duplicate["id"])["ticket"]["status"] == "closed"
    assert len([m for m in emails_to(local_stack, customer) if "merged it there" in (m["text"] or "")]) == 1
