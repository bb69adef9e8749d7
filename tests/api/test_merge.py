"""Merging a duplicate into another ticket: the conversation is carried over with a note in both,
the duplicate is closed and points to the target, its requester is emailed once, later email
replies thread into the target; bad merges are refused naming the field and change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events, latest_email_to
from tests.api.inbound_mail import deliver, message, support_address
from tests.api.notifications_support import QueuePump, emails_to
from tests.api.notifications_support import deliver as notify
from tests.api.streams import StreamPump
from tests.api.test_inbound_email import CUSTOMER, emailed_ticket
from tests.api.test_tickets import new_ticket


def merge(api: ApiClient, token: str, ticket: dict[str, Any], into: str, version: int | None = None) -> Any:
    body: dict[str, Any] = {"into": into}
    if version is not None:
        body["version"] = version
    return api.post(f"/tickets/{ticket['id']}/merge", body, token)


def read(api: ApiClient, workspace: Workspace, ticket_id: str) -> dict[str, Any]:
    reply = api.get(f"/tickets/{ticket_id}", workspace.token("admin"))
    assert reply.status == 200, reply.body
    return dict(reply.body)


def test_merge_carries_the_conversation_and_closes_the_duplicate(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN two tickets of the same requester, the duplicate with a reply and a note
    agent = workspace.token("agent")
    target = new_ticket(api, agent, subject="Login broken")
    duplicate = new_ticket(api, agent, subject="Still cannot log in")
    api.post(f"/tickets/{duplicate['id']}/comments", {"body": "Any news?", "public": True}, agent)
    api.post(f"/tickets/{duplicate['id']}/comments", {"body": "Same as the other", "public": False}, agent)
    # WHEN an agent merges it
    merged = merge(api, agent, duplicate, target["id"])
    # THEN the duplicate is closed, points to the target and says so publicly
    assert merged.status == 200, merged.body
    assert merged.body["carried_over"] == 3
    assert merged.body["ticket"]["status"] == "closed"
    assert merged.body["ticket"]["merged_into"] == {"id": target["id"], "number": target["number"]}
    dup_now = read(api, workspace, duplicate["id"])
    notice = dup_now["comments"][-1]
    assert notice["public"] is True and f"#{target['number']}" in notice["body"]
    # AND the target holds the description, both messages (public stays public) and an internal note
    comments = read(api, workspace, target["id"])["comments"]
    bodies = [(c["body"], c["public"]) for c in comments]
    assert (f"#{duplicate['number']} Still cannot log in\n\nSince this morning.", True) in bodies
    assert ("Any news?", True) in bodies and ("Same as the other", False) in bodies
    note = comments[-1]
    assert note["public"] is False and f"Merged #{duplicate['number']}" in note["body"]
    # AND history and audit say it on both tickets
    dup_history = api.get(f"/tickets/{duplicate['id']}/history", agent).body["items"]
    assert dup_history[-1]["note"] == {"merged_into": {"id": target["id"], "number": target["number"]}}
    target_history = api.get(f"/tickets/{target['id']}/history", agent).body["items"]
    assert target_history[-1]["note"]["merged_from"]["number"] == duplicate["number"]
    actions = [e["action"] for e in audit_events(api, workspace, 10)]
    assert "ticket.merged" in actions and "ticket.merged_into" in actions


def test_another_requesters_messages_arrive_as_internal_notes(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    target = new_ticket(api, agent)
    duplicate = new_ticket(api, agent, requester={"email": "other@example.com", "name": "Other"})
    api.post(f"/tickets/{duplicate['id']}/comments", {"body": "Public answer", "public": True}, agent)
    assert merge(api, agent, duplicate, target["id"]).status == 200
    copies = [c for c in read(api, workspace, target["id"])["comments"] if c["body"] == "Public answer"]
    assert [c["public"] for c in copies] == [False]


@pytest.mark.parametrize("case", ["itself", "closed target", "other workspace", "unknown", "merged target"])
def test_bad_merges_are_refused_naming_the_field_and_change_nothing(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, case: str
) -> None:
    agent = workspace.token("agent")
    duplicate = new_ticket(api, agent)
    target = new_ticket(api, agent)
    if case == "itself":
        into = duplicate["id"]
    elif case == "closed target":
        solved = api.patch(f"/tickets/{target['id']}", {"status": "solved", "version": target["version"]}, agent).body
        api.patch(f"/tickets/{target['id']}", {"status": "closed", "version": solved["version"]}, agent)
        into = target["id"]
    elif case == "other workspace":
        into = new_ticket(api, other_workspace.token("agent"))["id"]
    elif case == "unknown":
        into = "0" * 32
    else:
        third = new_ticket(api, agent)
        assert merge(api, agent, target, third["id"]).status == 200
        into = target["id"]
    refused = merge(api, agent, duplicate, into)
    assert refused.status == 422, refused.body
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.body["errors"][0]["field"] == "into"
    now = read(api, workspace, duplicate["id"])
    assert now["ticket"]["version"] == duplicate["version"] and now["comments"] == []


def test_a_closed_or_stale_duplicate_is_refused(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    duplicate, target, other = new_ticket(api, agent), new_ticket(api, agent), new_ticket(api, agent)
    stale = merge(api, agent, duplicate, target["id"], version=duplicate["version"] + 1)
    assert stale.status == 409
    assert merge(api, agent, duplicate, target["id"]).status == 200
    again = merge(api, agent, duplicate, other["id"])
    assert again.status == 422 and again.body["errors"][0]["field"] == "id"
    assert read(api, workspace, other["id"])["comments"] == []


def test_viewers_cannot_merge_and_other_workspaces_tickets_do_not_exist(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    duplicate, target = new_ticket(api, workspace.token("agent")), new_ticket(api, workspace.token("agent"))
    assert merge(api, workspace.token("viewer"), duplicate, target["id"]).status == 403
    assert merge(api, other_workspace.token("admin"), duplicate, target["id"]).status == 404


def test_the_requester_is_told_once_and_later_replies_thread_into_the_target(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN two emailed tickets of one customer
    target = emailed_ticket(api, workspace, subject="Printer on fire")
    duplicate = emailed_ticket(api, workspace, subject="Printer still on fire")
    notify(pump, queue)
    before = len(emails_to(CUSTOMER))
    # WHEN the duplicate is merged
    assert merge(api, workspace.token("agent"), duplicate, target["id"]).status == 200
    notify(pump, queue)
    # THEN the customer got exactly one email about it, from the duplicate's thread
    sent = emails_to(CUSTOMER)[before:]
    assert len(sent) == 1, [str(m["Subject"]) for m in sent]
    told = latest_email_to(CUSTOMER)
    body = told.get_body(preferencelist=("plain",))
    assert body is not None and f"#{target['number']}" in body.get_content()
    # AND their answer to that email (its reply address) lands on the target, not a new ticket
    answer = deliver(api, message(str(told["Reply-To"]), subject=str(told["Subject"]), body="Thanks, still burning."))
    assert answer == {"results": ["commented"]}
    last = read(api, workspace, target["id"])["comments"][-1]
    assert last["body"] == "Thanks, still burning." and last["public"] is True
    # AND so does one that only quotes the duplicate's thread (In-Reply-To)
    threaded = message(
        support_address(workspace.slug), subject="Re: x", body="Again", In_Reply_To=str(told["Message-ID"])
    )
    assert deliver(api, threaded) == {"results": ["commented"]}
    assert read(api, workspace, target["id"])["comments"][-1]["body"] == "Again"
    assert read(api, workspace, duplicate["id"])["ticket"]["status"] == "closed"
