"""Satisfaction surveys: the solve email's Good / Bad links, the public survey routes (the last answer
counts), tampered and expired links, the rating on the ticket and in its history, and the switch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain.clock import utcnow
from chalicelib.domain.csat import survey_token
from chalicelib.settings import get_settings
from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump, deliver, emails_to, overridden_settings
from tests.api.streams import StreamPump

LINK = re.compile(r"/csat/([A-Za-z0-9_~-]+)\?rating=(good|bad)")


@pytest.fixture
def queue(api: ApiClient) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def solved_ticket(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> tuple[dict[str, Any], str]:
    requester = f"rate-{workspace.slug}@example.org"
    body = {"subject": "Printer on fire", "description": "Smoke", "requester": {"email": requester, "name": "Casey"}}
    ticket = api.post("/tickets", body, workspace.token("agent")).body
    deliver(pump, queue)
    reply = api.patch(
        f"/tickets/{ticket['id']}", {"status": "solved", "version": ticket["version"]}, workspace.token("agent")
    )
    assert reply.status == 200, reply.body
    deliver(pump, queue)
    return reply.body, requester


def survey_links(requester: str) -> dict[str, str]:
    mails = [m for m in emails_to(requester) if "was solved" in m["subject"]]
    assert len(mails) == 1
    found = dict((rating, token) for token, rating in LINK.findall(mails[0]["text"]))
    assert (
        set(found) == {"good", "bad"} and "How did we do?" in mails[0]["text"] and "How did we do?" in mails[0]["html"]
    )
    assert found["good"] == found["bad"]
    return found


def test_the_solve_email_asks_and_the_last_answer_counts(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a solved ticket whose requester got the survey links
    ticket, requester = solved_ticket(api, workspace, pump, queue)
    token = survey_links(requester)["good"]

    # WHEN the page opens: it says what it is about, and nothing is recorded by opening it
    page = api.get(f"/csat/{token}").body
    assert (page["subject"], page["ticket_number"], page["rating"]) == ("Printer on fire", ticket["number"], None)
    assert page["workspace"] == f"Team {workspace.slug}"

    # WHEN the requester answers Good, then Good again, then Bad with a comment
    assert api.post(f"/csat/{token}", {"rating": "good"}).body["rating"] == "good"
    assert api.post(f"/csat/{token}", {"rating": "good"}).status == 200
    changed = api.post(f"/csat/{token}", {"rating": "bad", "comment": "Took a week"}).body
    pump.pump()

    # THEN the last answer counts, on the ticket the agents see
    assert (changed["rating"], changed["comment"]) == ("bad", "Took a week")
    seen = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]
    assert seen["csat"]["rating"] == "bad" and seen["csat"]["comment"] == "Took a week"
    # AND history shows the two answers (the repeated one changed nothing), by the requester by email
    history = api.get(f"/tickets/{ticket['id']}/history", workspace.token("agent")).body["items"]
    rated = [e for e in history if any(c["field"] == "csat" for c in e["changes"])]
    assert [[(c["field"], c["from"], c["to"]) for c in e["changes"]] for e in rated] == [
        [("csat", None, "good")],
        [("csat", "good", "bad"), ("csat_comment", "", "Took a week")],
    ]
    assert {e["actor"]["type"] for e in rated} == {"requester"} and rated[0]["actor"]["channel"] == "email"
    assert [e["action"] for e in audit_events(api, workspace) if e["action"] == "ticket.rated"] == ["ticket.rated"] * 2


def test_a_comment_is_kept_while_the_rating_stays(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    _, requester = solved_ticket(api, workspace, pump, queue)
    token = survey_links(requester)["good"]
    api.post(f"/csat/{token}", {"rating": "good", "comment": "Quick, thanks"})

    again = api.post(f"/csat/{token}", {"rating": "good"}).body
    switched = api.post(f"/csat/{token}", {"rating": "bad"}).body

    assert again["comment"] == "Quick, thanks" and switched["comment"] == ""


def test_a_tampered_link_is_refused_and_changes_nothing(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    ticket, requester = solved_ticket(api, workspace, pump, queue)
    token = survey_links(requester)["good"]
    header, payload, signature = token.split("~")
    tampered = f"{header}~{payload}~{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"

    for reply in (
        api.get(f"/csat/{tampered}"),
        api.post(f"/csat/{tampered}", {"rating": "bad"}),
        api.get("/csat/nonsense"),
    ):
        assert reply.status == 400, reply.body
        assert reply.headers["Content-Type"] == "application/problem+json"
        assert reply.body["type"] == "urn:pulsedesk:problem:link-invalid" and "not valid" in reply.body["detail"]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["csat"] is None


def test_an_expired_link_is_gone(api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump) -> None:
    ticket, _ = solved_ticket(api, workspace, pump, queue)
    old = survey_token(get_settings().survey_token_key, workspace.tenant_id, ticket["id"], utcnow() - timedelta(days=8))

    reply = api.post(f"/csat/{old}", {"rating": "good"})

    assert reply.status == 410 and reply.body["type"] == "urn:pulsedesk:problem:link-expired"
    assert "seven days" in reply.body["detail"]


def test_a_link_signed_with_another_key_is_refused(api: ApiClient, workspace: Workspace) -> None:
    forged = survey_token(b"not the key of this deployment!!", workspace.tenant_id, "0" * 32, utcnow())
    assert api.get(f"/csat/{forged}").status == 400


@pytest.mark.parametrize(
    "body", [{"rating": "meh"}, {}, {"rating": "good", "comment": "x" * 2001}, {"rating": "good", "comment": None}]
)
def test_bad_answers_are_refused_naming_the_field(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, body: dict[str, Any]
) -> None:
    ticket, requester = solved_ticket(api, workspace, pump, queue)
    token = survey_links(requester)["good"]
    reply = api.post(f"/csat/{token}", body)
    assert reply.status == 422 and reply.body["errors"][0]["field"] in ("rating", "comment")
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["csat"] is None


def test_admins_can_turn_surveys_off(api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump) -> None:
    admin = workspace.token("admin")
    assert api.get("/settings/csat", admin).body == {"surveys_enabled": True}
    _, requester = solved_ticket(api, workspace, pump, queue)
    token = survey_links(requester)["good"]

    # WHEN the admin turns surveys off
    assert api.put("/settings/csat", {"surveys_enabled": False}, admin).body == {"surveys_enabled": False}

    # THEN links already sent stop taking answers, and the next solve email asks nothing
    assert api.post(f"/csat/{token}", {"rating": "good"}).status == 410
    requester2 = f"second-{workspace.slug}@example.org"
    body = {"subject": "Another", "description": "x", "requester": {"email": requester2, "name": "B"}}
    ticket = api.post("/tickets", body, admin).body
    api.patch(f"/tickets/{ticket['id']}", {"status": "solved", "version": ticket["version"]}, admin)
    deliver(pump, queue)
    mail = [m for m in emails_to(requester2) if "was solved" in m["subject"]]
    assert len(mail) == 1 and "How did we do?" not in mail[0]["text"] and "/csat/" not in mail[0]["html"]
    assert [e["action"] for e in audit_events(api, workspace)].count("settings.csat_updated") == 1
    assert api.put("/settings/csat", {"surveys_enabled": True}, workspace.token("lead")).status == 403
