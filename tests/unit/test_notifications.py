"""Notification rules as pure functions: events from changes, recipients, retries, SSRF, masking,
and the escaping of customer text in email and Slack."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.delivery import Job, queue_hop, retry_delay, should_disable
from chalicelib.domain.events import DomainEvent, event_id, sla_breached, subscribes, ticket_events
from chalicelib.domain.masking import mask
from chalicelib.domain.notification_templates import render_email, slack_message
from chalicelib.domain.recipients import Recipient, email_targets, slack_alert, starts_waiting_unassigned
from chalicelib.domain.url_safety import address_refusal, url_refusal
from chalicelib.services.safe_http import UnsafeTarget, check_url

ADMIN = {"type": "user", "id": "u-admin", "name": "Ada"}
TICKET: dict[str, Any] = {
    "tenant_id": "t1",
    "id": "tk1",
    "number": 7,
    "subject": "Login <b>broken</b>",
    "status": "new",
    "priority": "normal",
    "assignee_id": None,
    "queue": "support",
    "requester": {"email": "req@example.org", "name": "Rae"},
}


def ticket(**changes: Any) -> dict[str, Any]:
    return {**TICKET, **changes}


def event(kind: str, actor: dict[str, str] = ADMIN, **fields: Any) -> DomainEvent:
    return DomainEvent("evt_1", kind, "t1", "2026-01-01T00:00:00Z", actor, ticket(), **fields)


# --- events ---------------------------------------------------------------------------------------


def test_event_ids_are_deterministic_per_record_and_type() -> None:
    assert event_id("rec-1", "ticket.created") == event_id("rec-1", "ticket.created")
    assert event_id("rec-1", "ticket.created") != event_id("rec-1", "ticket.assigned")
    assert event_id("rec-1", "ticket.created") != event_id("rec-2", "ticket.created")


def test_a_created_ticket_with_an_assignee_is_created_and_assigned() -> None:
    events = ticket_events("r", None, ticket(assignee_id="u1"), ADMIN, "now")
    assert [e.type for e in events] == ["ticket.created", "ticket.assigned"]
    assert events[1].changes == {"assignee_id": {"from": None, "to": "u1"}}
    assert "tenant_id" not in events[0].ticket


def test_a_change_yields_one_event_per_kind_of_change() -> None:
    old = ticket(assignee_id="u1")
    new = ticket(assignee_id="u2", status="open", priority="urgent", tags=["x"])
    assert [e.type for e in ticket_events("r", old, new, ADMIN, "now")] == [
        "ticket.assigned",
        "ticket.status_changed",
        "ticket.priority_changed",
    ]
    assert ticket_events("r", old, ticket(assignee_id="u1", tags=["x"]), ADMIN, "now") == []
    assert ticket_events("r", old, ticket(assignee_id=None), ADMIN, "now") == []  # unassigning is no assignment


# --- who hears what -------------------------------------------------------------------------------

AGENT = Recipient("agent@example.com", "Agent", "u-agent")


def test_the_assignee_hears_of_an_assignment_unless_they_made_it_or_opted_out() -> None:
    assigned = event("ticket.assigned", changes={"assignee_id": {"from": None, "to": "u-agent"}})
    assert [t.template for t in email_targets(assigned, AGENT)] == ["assigned"]
    self_assigned = event("ticket.assigned", actor={"type": "user", "id": "u-agent", "name": "A"})
    assert email_targets(self_assigned, AGENT) == []
    muted = Recipient("agent@example.com", "Agent", "u-agent", {"email_ticket_assigned": False})
    assert email_targets(assigned, muted) == []


def test_the_requester_hears_public_replies_and_the_solve_never_internal_notes() -> None:
    public = event("comment.created", comment={"public": True, "body": "hi"})
    internal = event("comment.created", comment={"public": False, "body": "secret"})
    assert [(t.template, t.email) for t in email_targets(public, None)] == [("public_reply", "req@example.org")]
    assert email_targets(internal, None) == []
    assert [t.template for t in email_targets(internal, AGENT)] == ["commented"]
    solved = event("ticket.status_changed", changes={"status": {"from": "open", "to": "solved"}})
    pending = event("ticket.status_changed", changes={"status": {"from": "open", "to": "pending"}})
    assert [t.template for t in email_targets(solved, AGENT)] == ["solved"]
    assert email_targets(pending, AGENT) == []


def test_slack_alerts_for_urgent_and_waiting_tickets() -> None:
    born_urgent = DomainEvent("e", "ticket.created", "t", "now", ADMIN, ticket(priority="urgent"))
    escalated = event("ticket.priority_changed", changes={"priority": {"from": "high", "to": "urgent"}})
    calmed = event("ticket.priority_changed", changes={"priority": {"from": "urgent", "to": "high"}})
    assert slack_alert(born_urgent, True) == "urgent" and slack_alert(escalated, True) == "urgent"
    assert slack_alert(calmed, True) is None and slack_alert(born_urgent, False) is None
    assert starts_waiting_unassigned(event("ticket.created"))
    assert not starts_waiting_unassigned(event("ticket.priority_changed", changes={"priority": {}}))


def test_subscriptions() -> None:
    assert subscribes(["*"], "comment.created") and subscribes(["comment.created"], "comment.created")
    assert not subscribes(["ticket.created"], "comment.created")


def test_the_idempotency_key_ignores_the_attempt_but_not_a_replay() -> None:
    job = Job("t", "webhook", "ep1", {"id": "evt_1"})
    assert job.next_attempt(123).idempotency_key == job.idempotency_key
    assert Job("t", "webhook", "ep1", {"id": "evt_1"}, replay="x").idempotency_key != job.idempotency_key
    assert Job.from_dict(job.next_attempt(5).to_dict()) == job.next_attempt(5)


# --- retries --------------------------------------------------------------------------------------


@given(attempt=st.integers(1, 7), rand=st.floats(0, 1))
def test_retry_delays_follow_the_schedule_within_the_jitter(attempt: int, rand: float) -> None:
    schedule = (5, 300, 1800, 7200, 18000, 36000, 86400)
    delay = retry_delay(attempt, schedule, lambda: rand)
    base = schedule[attempt - 1]
    assert delay is not None and 0.8 * base - 1 <= delay <= 1.2 * base + 1


def test_the_schedule_ends() -> None:
    assert retry_delay(3, (1, 2), lambda: 0.5) is None
    assert retry_delay(2, (1, 2), lambda: 0.5) == 2


def test_long_waits_take_several_queue_hops() -> None:
    assert queue_hop(now=0, not_before=3600) == 900
    assert queue_hop(now=0, not_before=12.2) == 13
    assert queue_hop(now=100, not_before=50) == 0


def test_disable_after_a_long_failure() -> None:
    assert should_disable(0, 100, 100) and not should_disable(0, 99, 100) and not should_disable(None, 1e9, 1)


# --- SSRF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.1", "private"),
        ("::ffff:192.168.0.1", "private"),
        ("0.0.0.0", "loopback"),
        ("::", "loopback"),
        ("100.64.0.1", "reserved"),
        ("224.0.0.1", "reserved"),
    ],
)
def test_non_public_addresses_are_refused(address: str, word: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and word in reason


def test_public_addresses_are_allowed() -> None:
    assert address_refusal("93.184.216.34") is None and address_refusal("2606:4700::1111") is None


def test_url_rules() -> None:
    assert url_refusal("https://hooks.example.com/x", allow_private=False) is None
    assert url_refusal("http://hooks.example.com/x", allow_private=False) == "must use https"
    assert url_refusal("http://127.0.0.1:9000/x", allow_private=True) is None
    assert url_refusal("gopher://x", allow_private=True) == "must be an https:// URL"
    assert url_refusal("https://a:b@example.com", allow_private=False) == "may not contain credentials"
    assert url_refusal("https://example.com:99999/", allow_private=False) == "is not a valid URL"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.170.2/v2/credentials",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[::169.254.169.254]/",
        "http://[fe80::1]/",
        "http://100.100.100.200/",
    ],
)
def test_metadata_and_link_local_urls_are_refused_even_where_private_targets_are_allowed(url: str) -> None:
    assert url_refusal(url, allow_private=True) is not None
    assert url_refusal(url, allow_private=False) is not None


@pytest.mark.parametrize("spelling", ["2852039166", "0251.0376.0251.0376", "169.254.43518"])
def test_metadata_spelled_as_a_name_is_refused_once_resolved(spelling: str) -> None:
    # GIVEN a host that is not an address literal, though the resolver reads it as one
    assert url_refusal(f"http://{spelling}/", allow_private=True) is None

    # WHEN it is resolved before the request, THEN it is refused, private targets allowed or not
    for allow_private in (True, False):
        with pytest.raises(UnsafeTarget, match="metadata"):
            check_url(f"https://{spelling}/latest/meta-data/", allow_private=allow_private)


def test_masking() -> None:
    assert mask("xoxb-1234567890-abcd") == "xoxb-…abcd"
    assert mask("https://hooks.slack.com/services/T0/B0/secretvalue") == "https://hooks.slack.com/…alue"
    assert mask("short") == "…" and mask(None) is None


# --- templates ------------------------------------------------------------------------------------


def test_customer_text_is_escaped_in_html_and_slack() -> None:
    rendered = render_email("assigned", "Acme", event("ticket.assigned"), "https://x/tickets/tk1", {})
    assert "<b>broken</b>" not in rendered.html and "&lt;b&gt;broken&lt;/b&gt;" in rendered.html
    assert "<b>broken</b>" in rendered.text and rendered.subject == "[Acme] Ticket #7 was assigned to you"
    message = slack_message(
        "urgent", ticket(requester={"name": "<@U123> <!channel>", "email": "x"}), "https://x", "Acme"
    )
    assert "<!channel>" not in str(message["blocks"]) and "&lt;!channel&gt;" in str(message["blocks"])


# --- watchers and SLA breaches -------------------------------------------------------------------

AGENT = Recipient("agent@example.com", "Agent", "u-agent")
LEAD = Recipient("lead@example.com", "Lead", "u-lead")
VIEWER = Recipient("viewer@example.com", "Viewer", "u-viewer", sees_internal_notes=False)
QUIET = Recipient("quiet@example.com", "Quiet", "u-quiet", prefs={"email_watched_tickets": False})
WATCHERS = [AGENT, LEAD, VIEWER, QUIET]


def watched(targets: list[Any]) -> list[str]:
    return sorted(t.email for t in targets if t.template == "watched")


def test_watchers_hear_replies_but_not_the_actor_the_assignee_or_those_who_opted_out() -> None:
    reply = event("comment.created", actor={"id": "u-lead"}, comment={"public": True, "body": "Hi"})
    assert watched(email_targets(reply, AGENT, WATCHERS)) == [VIEWER.email]
    assert watched(email_targets(reply, None, WATCHERS)) == [AGENT.email, VIEWER.email]


def test_internal_notes_reach_only_watchers_who_may_read_them() -> None:
    note = event("comment.created", comment={"public": False, "body": "Shh"})
    assert watched(email_targets(note, None, WATCHERS)) == [AGENT.email, LEAD.email]


def test_watchers_hear_a_status_set_by_hand_but_not_one_a_reply_moved() -> None:
    by_hand = event("ticket.status_changed", changes={"status": {"from": "open", "to": "pending"}})
    by_reply = event("ticket.status_changed", changes={"status": {"from": "new", "to": "open", "by_reply": True}})
    assert watched(email_targets(by_hand, None, WATCHERS)) == [AGENT.email, LEAD.email, VIEWER.email]
    assert watched(email_targets(by_reply, None, WATCHERS)) == []
    assigned = event("ticket.assigned", changes={"assignee_id": {"from": None, "to": "u-agent"}})
    assert watched(email_targets(assigned, AGENT, WATCHERS)) == []


def test_a_breach_is_one_event_per_deadline_and_reaches_assignee_watchers_and_slack() -> None:
    late = ticket(id="tk9", sla_due_at="2026-01-01T01:00:00.000000Z", first_response_at=None)
    first = sla_breached("t1", late, "2026-01-01T01:00:01Z")
    again = sla_breached("t1", late, "2026-01-01T01:05:00Z")
    later_deadline = sla_breached("t1", {**late, "sla_due_at": "2026-01-02T00:00:00.000000Z"}, "x")
    assert first.id == again.id != later_deadline.id
    assert first.changes["sla"]["target"] == "first_response"
    targets = email_targets(first, AGENT, [LEAD, AGENT])
    assert [(t.template, t.email) for t in targets] == [("sla_breached", AGENT.email), ("watched", LEAD.email)]
    assert slack_alert(first, alert_urgent=False) == "sla_breached"
    assert slack_alert(first, alert_urgent=True, alert_sla_breaches=False) is None
    assert "first response target" in render_email("sla_breached", "Acme", first, "https://x/t", {}).text


# --- the "Take it" button ------------------------------------------------------------------------


def test_take_it_is_offered_only_with_a_value_and_removed_once_taken() -> None:
    from chalicelib.domain.notification_templates import taken_blocks
    from chalicelib.domain.slack_actions import parse_take_action, take_value

    plain = slack_message("urgent", TICKET, "https://x/t", "Acme")
    offered = slack_message("urgent", TICKET, "https://x/t", "Acme", take_value=take_value("t1", "tk1"))
    assert "take_ticket" not in str(plain["blocks"]) and "take_ticket" in str(offered["blocks"])
    after = taken_blocks(offered["blocks"], "Ada <script>")
    assert "take_ticket" not in str(after) and "open_ticket" in str(after) and "Ada &lt;script&gt;" in str(after)

    press = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "response_url": "https://hooks.slack.com/actions/1",
        "message": {"blocks": offered["blocks"]},
        "actions": [{"action_id": "take_ticket", "value": "t1:tk1"}],
    }
    action = parse_take_action(press)
    assert action is not None and (action.tenant_id, action.ticket_id, action.slack_user_id) == ("t1", "tk1", "U1")
    assert parse_take_action({**press, "actions": [{"action_id": "open_ticket"}]}) is None
    assert parse_take_action({**press, "type": "view_submission"}) is None
    with pytest.raises(Exception, match="missing"):
        parse_take_action({**press, "actions": [{"action_id": "take_ticket", "value": "no-colon"}]})


def test_the_api_accepts_exactly_the_domain_event_types() -> None:
    from typing import get_args

    from chalicelib.api.schemas import EventType
    from chalicelib.domain.events import ALL_EVENTS, EVENT_TYPES

    assert set(get_args(EventType)) == {*EVENT_TYPES, ALL_EVENTS}


def test_a_write_that_moves_the_deadline_says_so_and_others_do_not() -> None:
    old = ticket(status="open", priority="low", sla_due_at="2026-01-02T00:00:00.000000Z")
    raised = {**old, "priority": "urgent", "sla_due_at": "2026-01-01T01:00:00.000000Z"}
    (event,) = ticket_events("rec-1", old, raised, ADMIN, "2026-01-01T02:00:00Z")
    assert event.changes["sla_due_at"] == {"from": old["sla_due_at"], "to": raised["sla_due_at"]}
    assigned = {**old, "assignee_id": "u-agent"}
    assert all("sla_due_at" not in e.changes for e in ticket_events("rec-2", old, assigned, ADMIN, "x"))
