"""Email in on the local stack, end to end: mail sent over SMTP to the local server (SES receiving's stand-in)
is stored in the inbound bucket, S3's notification runs the app's inbound_email handler through the event
runner, and the ticket appears in the API and on a listening dashboard. Replies thread by each method; what
the app sends goes through moto SES to the outbox, and mail for the inbound domain comes back through SMTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team
from tests.integration.mail import customer_mail, emails_to, eventually, send_smtp, support_address
from tests.integration.test_realtime import listening, receive_until


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


@pytest.fixture(scope="module")
def team(http: Http) -> Team:
    return new_team(http, roles=("agent",))


def new_customer() -> str:
    return f"ada-{uuid.uuid4().hex[:8]}@customer.example"


def tickets(http: Http, team: Team, **query: str) -> list[dict[str, Any]]:
    search = "&".join(f"{name}={value}" for name, value in query.items())
    return list(http.ok("GET", f"/tickets?limit=100&{search}", team.tokens["admin"])["items"])


def ticket_from(http: Http, team: Team, requester: str, subject: str) -> dict[str, Any] | None:
    found = [t for t in tickets(http, team, requester=requester) if t["subject"] == subject]
    return found[0] if found else None


def conversation(http: Http, team: Team, ticket_id: str) -> dict[str, Any]:
    return dict(http.ok("GET", f"/tickets/{ticket_id}", team.tokens["admin"]))


def opened_by_mail(stack: LocalStack, http: Http, team: Team, customer: str, subject: str) -> dict[str, Any]:
    send_smtp(stack, customer_mail(support_address(stack, team.slug), subject=subject, sender=customer))
    return eventually(lambda: ticket_from(http, team, customer, subject), what=f"ticket {subject!r}")


def agent_reply_email(stack: LocalStack, http: Http, team: Team, ticket: dict[str, Any], customer: str) -> Any:
    """The agent answers in the app; the requester's copy, read from the outbox with its headers."""
    text = f"Have you tried water? ({uuid.uuid4().hex[:6]})"
    http.ok("POST", f"/tickets/{ticket['id']}/comments", team.tokens["agent"], {"body": text, "public": True})
    return eventually(
        lambda: [m for m in emails_to(stack, customer) if text in (m["text"] or "")], what="the reply in the outbox"
    )[-1]


def solve(http: Http, team: Team, ticket_id: str) -> None:
    version = conversation(http, team, ticket_id)["ticket"]["version"]
    http.ok("PATCH", f"/tickets/{ticket_id}", team.tokens["agent"], {"status": "solved"}, {"If-Match": str(version)})


def comments_with(http: Http, team: Team, ticket_id: str, body: str) -> list[dict[str, Any]]:
    return [c for c in conversation(http, team, ticket_id)["comments"] if c["body"] == body]


def test_a_mail_to_the_support_address_opens_a_ticket_seen_live(
    local_stack: LocalStack, http: Http, team: Team
) -> None:
    customer, subject = new_customer(), f"Printer on fire {uuid.uuid4().hex[:6]}"
    with listening(local_stack, team.tokens["agent"]) as dashboard:
        # WHEN a customer's mail server delivers a message to the workspace's support address
        send_smtp(local_stack, customer_mail(support_address(local_stack, team.slug), subject, sender=customer))
        # THEN the agent's open dashboard hears of the new ticket
        seen = receive_until(
            dashboard,
            lambda events: any(
                e["type"] == "ticket.created" and e.get("ticket", {}).get("subject") == subject for e in events
            ),
        )
    created = next(e for e in seen if e["type"] == "ticket.created" and e["ticket"]["subject"] == subject)
    ticket = conversation(http, team, created["ticket"]["id"])["ticket"]
    assert ticket["channel"] == "email"
    assert ticket["requester"]["email"] == customer
    assert ticket["description"] == "It is on fire. Please help."


@pytest.mark.parametrize("method", ["reply address", "in-reply-to", "subject tag"])
def test_the_customers_answer_threads_onto_the_ticket(
    local_stack: LocalStack, http: Http, team: Team, method: str
) -> None:
    # GIVEN an emailed ticket the agent answered, and the email that answer sent the customer
    customer = new_customer()
    ticket = opened_by_mail(local_stack, http, team, customer, "Printer on fire")
    sent = agent_reply_email(local_stack, http, team, ticket, customer)
    headers = sent["headers"]
    assert headers["Message-ID"] and headers["In-Reply-To"] and headers["References"]
    assert headers["Reply-To"].startswith("reply+") and headers["Reply-To"].endswith("@" + local_stack.inbound_domain)
    # WHEN the customer answers, matched by one method alone
    to, subject, extra = support_address(local_stack, team.slug), "Re: something else entirely", {}
    if method == "reply address":
        to = headers["Reply-To"]
    elif method == "in-reply-to":
        extra = {"In_Reply_To": headers["Message-ID"]}
    else:
        subject = sent["subject"]
        assert f"[#{ticket['number']}]" in subject
    answer = customer_mail(to, subject, "Water made it worse.\n\nOn Monday, Support wrote:\n> Have you tried water?")
    answer.replace_header("From", customer)
    for name, value in extra.items():
        answer[name.replace("_", "-")] = value
    send_smtp(local_stack, answer)
    # THEN it is the requester's public comment on that ticket, quoted history stripped
    (comment,) = eventually(lambda: comments_with(http, team, ticket["id"], "Water made it worse."), what="the reply")
    assert comment["public"] is True and comment["channel"] == "email"
    assert comment["author"]["type"] == "requester" and comment["author"]["id"] == customer
    assert [t["id"] for t in tickets(http, team, requester=customer)] == [ticket["id"]]


def test_an_answer_to_a_solved_ticket_reopens_it(local_stack: LocalStack, http: Http, team: Team) -> None:
    customer = new_customer()
    ticket = opened_by_mail(local_stack, http, team, customer, "Printer on fire")
    solve(http, team, ticket["id"])
    send_smtp(
        local_stack,
        customer_mail(
            support_address(local_stack, team.slug), f"Re: [#{ticket['number']}]", "Still broken.", sender=customer
        ),
    )
    eventually(lambda: comments_with(http, team, ticket["id"], "Still broken."), what="the answer")
    assert conversation(http, team, ticket["id"])["ticket"]["status"] == "open"


def test_an_auto_reply_gets_no_email_back(local_stack: LocalStack, http: Http, team: Team) -> None:
    # GIVEN an out-of-office message, and a person's message, each opening a ticket
    robot, person = new_customer(), new_customer()
    to = support_address(local_stack, team.slug)
    auto = customer_mail(to, "Automatic reply: Printer", "I am away.", sender=robot, Auto_Submitted="auto-replied")
    send_smtp(local_stack, auto)
    robot_ticket = eventually(lambda: ticket_from(http, team, robot, "Automatic reply: Printer"), what="ticket")
    person_ticket = opened_by_mail(local_stack, http, team, person, "Printer on fire")
    # WHEN both are solved (which emails a requester), the robot's first
    for ticket in (robot_ticket, person_ticket):
        solve(http, team, ticket["id"])
    # THEN the person is told, and the robot, whose answer could start a loop, is not
    eventually(lambda: emails_to(local_stack, person), what="the person's email")
    assert "auto-reply" in conversation(http, team, robot_ticket["id"])["ticket"]["tags"]
    assert emails_to(local_stack, robot) == []


def test_the_same_message_delivered_twice_makes_one_comment(local_stack: LocalStack, http: Http, team: Team) -> None:
    customer = new_customer()
    ticket = opened_by_mail(local_stack, http, team, customer, "Printer on fire")
    to, subject = support_address(local_stack, team.slug), f"Re: [#{ticket['number']}]"
    twice = customer_mail(to, subject, "Sent twice by a retrying server.", sender=customer)
    send_smtp(local_stack, twice)
    send_smtp(local_stack, twice)  # the same Message-ID again, as a sending server that lost our 250 would
    send_smtp(local_stack, customer_mail(to, subject, "After the duplicate.", sender=customer))
    eventually(lambda: comments_with(http, team, ticket["id"], "After the duplicate."), what="the later message")
    assert len(comments_with(http, team, ticket["id"], "Sent twice by a retrying server.")) == 1


def test_another_workspaces_reply_token_is_refused(local_stack: LocalStack, http: Http, team: Team) -> None:
    from chalicelib.domain.inbound_addresses import reply_token

    # GIVEN a ticket of this workspace, its genuine reply address, and another workspace
    customer = new_customer()
    ticket = opened_by_mail(local_stack, http, team, customer, "Printer on fire")
    genuine = agent_reply_email(local_stack, http, team, ticket, customer)["headers"]["Reply-To"]
    other = new_team(http, roles=())
    other_tenant = http.ok("GET", "/me", other.tokens["admin"])["workspace"]["id"]
    # WHEN a token is forged for the other workspace, and the genuine one is sent along to the other's address
    forged = f"reply+{reply_token(b'a guessed key', other_tenant, ticket['number'])}@{local_stack.inbound_domain}"
    send_smtp(local_stack, customer_mail(forged, "Forged", "Let me in.", sender=customer))
    moved = customer_mail(f"{support_address(local_stack, other.slug)}, {genuine}", "Moved", "Cross-post.", customer)
    send_smtp(local_stack, moved)
    # THEN the forged one makes nothing, the moved one only a new ticket in the other workspace
    eventually(lambda: ticket_from(http, other, customer, "Moved"), what="the other workspace's ticket")
    assert [t["subject"] for t in tickets(http, other, requester=customer)] == ["Moved"]
    assert comments_with(http, team, ticket["id"], "Cross-post.") == []
    assert comments_with(http, team, ticket["id"], "Let me in.") == []
    assert [t["id"] for t in tickets(http, team, requester=customer)] == [ticket["id"]]


def test_the_test_email_button_loops_through_the_real_path(local_stack: LocalStack, http: Http, team: Team) -> None:
    # WHEN the admin sends the test email
    sent = http.call("POST", "/settings/email/test", team.tokens["admin"])
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["message_id"]
    # THEN SES sends it to the support address, it comes back in over SMTP, and the status names its ticket
    status = eventually(
        lambda: (
            (s := http.ok("GET", f"/settings/email/tests/{message_id}", team.tokens["admin"]))["status"] == "received"
            and s
        ),
        what="the test email to come back",
    )
    ticket = conversation(http, team, status["ticket_id"])["ticket"]
    assert ticket["number"] == status["ticket_number"] and ticket["channel"] == "email"
    assert [m["to"] for m in emails_to(local_stack, support_address(local_stack, team.slug))] == [
        [support_address(local_stack, team.slug)]
    ]
