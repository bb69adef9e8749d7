"""Watchers (who follows a ticket besides its assignee) and SLA breach escalations, through the
whole pipeline: stream → queue → SES and the local Slack stand-in."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from chalicelib.data import tickets as repo
from chalicelib.domain.clock import from_text
from chalicelib.domain.delivery import Job
from chalicelib.services import sla_checks
from tests.api.client import ApiClient, Workspace, audit_events, new_api_key
from tests.api.notifications_support import QueuePump, emails_to
from tests.api.streams import StreamPump
from tests.api.test_notifications import deliver, open_ticket, patch
from tests.api.test_slack import connect
from tests.integration.fakes.slack_api import FakeSlack


def watch(api: ApiClient, workspace: Workspace, ticket_id: str, user_id: str, role: str) -> list[str]:
    reply = api.put(f"/tickets/{ticket_id}/watchers/{user_id}", None, workspace.token(role))
    assert reply.status == 200, reply.body
    return list(reply.body["watchers"])


# --- watchers ------------------------------------------------------------------------------------


def test_watching_is_idempotent_recorded_and_leaves_the_version_alone(api: ApiClient, workspace: Workspace) -> None:
    ticket = open_ticket(api, workspace)
    agent, lead = workspace.members["agent"], workspace.members["lead"]

    assert watch(api, workspace, ticket["id"], "me", "agent") == [agent.id]
    assert watch(api, workspace, ticket["id"], "me", "agent") == [agent.id]  # again: no change
    assert sorted(watch(api, workspace, ticket["id"], lead.id, "admin")) == sorted([agent.id, lead.id])

    shown = api.get(f"/tickets/{ticket['id']}", workspace.token("viewer")).body
    assert sorted(shown["watchers"]) == sorted([agent.id, lead.id])
    assert shown["ticket"]["version"] == ticket["version"]  # a colleague's If-Match edit still applies
    history = api.get(f"/tickets/{ticket['id']}/history", workspace.token("agent")).body["items"]
    assert [h["changes"][0]["field"] for h in history].count("watchers") == 2
    assert [e["action"] for e in audit_events(api, workspace)[:2]] == ["ticket.watcher_added"] * 2

    reply = api.delete(f"/tickets/{ticket['id']}/watchers/me", workspace.token("agent"))
    assert reply.status == 200 and reply.body["watchers"] == [lead.id]
    assert api.delete(f"/tickets/{ticket['id']}/watchers/me", workspace.token("agent")).body["watchers"] == [lead.id]


def test_anyone_may_watch_but_choosing_for_others_is_like_assigning(api: ApiClient, workspace: Workspace) -> None:
    ticket = open_ticket(api, workspace)
    path = f"/tickets/{ticket['id']}/watchers"
    agent, lead = workspace.members["agent"], workspace.members["lead"]
    assert api.put(f"{path}/me", None, workspace.token("viewer")).status == 200
    assert api.put(f"{path}/{lead.id}", None, workspace.token("agent")).status == 403
    assert api.delete(f"{path}/{workspace.members['viewer'].id}", workspace.token("agent")).status == 403
    assert api.put(f"{path}/{agent.id}", None, workspace.token("agent")).status == 200  # themselves, by id
    unknown = api.put(f"{path}/no-such-user", None, workspace.token("lead"))
    assert unknown.status == 422 and unknown.body["errors"][0]["field"] == "user_id"
    key = new_api_key(api, workspace, ["tickets.read", "tickets.assign"])
    assert api.put(f"{path}/me", None, key).status == 422
    assert api.put(f"{path}/{lead.id}", None, key).status == 200
    assert api.put("/tickets/does-not-exist/watchers/me", None, workspace.token("agent")).status == 404


def test_watchers_hear_of_comments_and_status_but_not_notes_they_may_not_read(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a ticket watched by the agent and the viewer, answered by the lead
    ticket = open_ticket(api, workspace)
    agent, viewer, lead = (workspace.members[r] for r in ("agent", "viewer", "lead"))
    for member in (agent, viewer, lead):
        watch(api, workspace, ticket["id"], member.id, "admin")
    deliver(pump, queue)

    # WHEN the lead replies publicly, adds an internal note and solves it
    for public in (True, False):
        body = {"body": f"{'Reply' if public else 'Note'} from the lead", "public": public}
        assert api.post(f"/tickets/{ticket['id']}/comments", body, workspace.token("lead")).status == 201
    patch(api, workspace, ticket, role="lead", status="solved")
    deliver(pump, queue)

    # THEN the agent hears all three, the viewer not the note, and the lead (who acted) nothing
    def heard(email: str) -> list[str]:
        mails = emails_to(email)
        assert all("you watch" in m["subject"] for m in mails)
        return sorted(re.sub(r"^.*? (added|changed) ", r"\1 ", m["text"].split("\n")[0]) for m in mails)

    reply, note, solved = "added a reply:", "added an internal note:", "changed the status from open to solved."
    assert heard(agent.email) == sorted([reply, note, solved])
    assert heard(viewer.email) == sorted([reply, solved])
    assert heard(lead.email) == []


def test_watchers_can_opt_out(api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump) -> None:
    agent = workspace.members["agent"]
    assert api.put("/me/notifications", {"email_watched_tickets": False}, workspace.token("agent")).status == 200
    ticket = open_ticket(api, workspace)
    watch(api, workspace, ticket["id"], "me", "agent")
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "Anyone?", "public": True}, workspace.token("lead"))
    deliver(pump, queue)
    assert emails_to(agent.email) == []


# --- SLA breaches --------------------------------------------------------------------------------


def checks_for(queue: QueuePump, ticket_id: str) -> list[Job]:
    return [Job.from_dict(j) for j in queue.take_delayed() if j["channel"] == "check_sla" and j["target"] == ticket_id]


def test_a_missed_deadline_is_announced_once_to_slack_the_assignee_and_watchers(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    # GIVEN Slack connected and an urgent ticket assigned to the agent, watched by the lead
    connect(api, workspace, alert_urgent=False)
    agent, lead = workspace.members["agent"], workspace.members["lead"]
    subject = f"Checkout broken {workspace.slug}"
    ticket = open_ticket(api, workspace, subject=subject, priority="urgent", assignee_id=agent.id)
    watch(api, workspace, ticket["id"], lead.id, "admin")
    deliver(pump, queue)
    due = from_text(ticket["sla_due_at"])

    # WHEN the scheduled sweep runs shortly before the deadline, twice
    sla_checks.queue_sla_checks(due - timedelta(minutes=5))
    sla_checks.queue_sla_checks(due - timedelta(minutes=5))
    (check,) = checks_for(queue, ticket["id"])
    assert check.not_before == due.timestamp()  # the check waits on the queue for the deadline

    # AND the check runs after the deadline (a duplicate too)
    assert sla_checks.check_sla(check, due + timedelta(seconds=1)) > 0
    sla_checks.check_sla(check, due + timedelta(seconds=2))
    queue.drain()

    # THEN one Slack alert, one email to the assignee, one to the watcher
    (alert,) = fake_slack.messages_about(subject)
    assert "SLA breached" in json.dumps(alert["blocks"]) and f"/tickets/{ticket['id']}" in json.dumps(alert["blocks"])
    (to_agent,) = [m for m in emails_to(agent.email) if "missed its SLA" in m["subject"]]
    assert "first response target" in to_agent["text"]
    (to_lead,) = emails_to(lead.email)
    assert "you watch" in to_lead["subject"] and "first response target" in to_lead["text"]


def test_no_breach_when_the_ticket_was_answered_or_solved_in_time(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    connect(api, workspace, alert_urgent=False)
    subject = f"Answered {workspace.slug}"
    ticket = open_ticket(api, workspace, subject=subject, priority="urgent")
    deliver(pump, queue)
    due = from_text(ticket["sla_due_at"])
    sla_checks.queue_sla_checks(due - timedelta(minutes=1))
    (check,) = checks_for(queue, ticket["id"])

    api.post(f"/tickets/{ticket['id']}/comments", {"body": "On it", "public": True}, workspace.token("agent"))
    deliver(pump, queue)
    assert sla_checks.check_sla(check, due + timedelta(seconds=1)) == 0  # the deadline moved on
    queue.drain()
    assert fake_slack.messages_about(subject) == []


def test_a_change_that_moves_the_deadline_into_the_past_is_checked_at_once(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    # A ticket reopened long after it was created is already past its resolution deadline: the
    # sweep has gone by, so the stream queues the check.
    connect(api, workspace, alert_urgent=False)
    subject = f"Reopened {workspace.slug}"
    ticket = open_ticket(api, workspace, subject=subject, priority="urgent")
    deliver(pump, queue)
    item = repo.get_ticket(workspace.tenant_id, ticket["id"])
    assert item is not None
    item.created_at -= timedelta(hours=2)  # as if it had come in two hours ago
    item.save()
    patch(api, workspace, ticket, priority="high")  # due at created + 4 h: still ahead
    deliver(pump, queue)
    assert fake_slack.messages_about(subject) == []
    patch(api, workspace, ticket, priority="urgent")  # due at created + 1 h: already missed
    deliver(pump, queue)
    queue.drain()
    (alert,) = fake_slack.messages_about(subject)
    assert "SLA breached" in json.dumps(alert["blocks"])

    # an edit that leaves the (long missed) deadline where it is queues no new check
    checks_before = len([j for j in queue.jobs if j["channel"] == "check_sla"])
    patch(api, workspace, ticket, tags=["later"])
    deliver(pump, queue)
    assert len([j for j in queue.jobs if j["channel"] == "check_sla"]) == checks_before == 1


def test_slack_breach_alerts_can_be_turned_off(api: ApiClient, workspace: Workspace) -> None:
    assert connect(api, workspace)["alert_sla_breaches"] is True
    assert connect(api, workspace, alert_sla_breaches=False)["alert_sla_breaches"] is False
