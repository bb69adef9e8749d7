"""The ticket's SLA clock through ``decide``: policies pick the targets, pending and on-hold stop the
clock, a resume pushes the deadlines, the requester's new message starts the next-reply target, and
a re-plan follows a policy change. Then properties over random pause/resume sequences."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.actors import ROUTER, ApiKeyActor, EmailRequester, Person
from chalicelib.domain.business_hours import BusinessCalendar, business_seconds_between
from chalicelib.domain.sla_clock import state
from chalicelib.domain.sla_policies import DEFAULT_SLA, SlaContext, SlaPolicy, Targets
from chalicelib.domain.ticket_change import (
    AddComment,
    CreateTicket,
    ReplanSla,
    Requester,
    Ticket,
    TicketChange,
    UpdateTicket,
    decide,
)

MONDAY_9 = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday
AGENT = Person("agent-1", "Ann Agent")
REQUESTER = EmailRequester("pat@example.com", "Pat")
HOUR = timedelta(hours=1)
OFFICE = BusinessCalendar(
    time_zone="UTC",
    weekly_hours=(((time(9), time(17)),),) * 5 + ((), ()),
    holidays=frozenset({date(2026, 12, 25)}),
)


def policy(policy_id: str = "p1", *, business_hours: bool = False, **narrowing: str) -> SlaPolicy:
    return SlaPolicy(
        policy_id=policy_id,
        name=f"Policy {policy_id}",
        targets=MappingProxyType(
            {
                "high": Targets(first_response=2 * 3600, next_reply=3 * 3600, resolution=16 * 3600),
                "normal": Targets(first_response=4 * 3600, next_reply=None, resolution=24 * 3600),
            }
        ),
        business_hours=business_hours,
        **narrowing,  # type: ignore[arg-type]
    )


def committed(change: TicketChange | None) -> Ticket:
    assert change is not None
    return replace(change.after, version=(change.before.version or 0) + 1 if change.before else 1)


def new_ticket(
    sla: SlaContext = DEFAULT_SLA, priority: str = "high", at: datetime = MONDAY_9, **extra: object
) -> Ticket:
    request = CreateTicket(
        ticket_id="t1",
        number=1,
        subject="Printer on fire",
        description="Help",
        requester=Requester("pat@example.com", "Pat"),
        priority=priority,
        queue=str(extra.get("queue", "support")),
        tags=tuple(extra.get("tags", ())),  # type: ignore[arg-type]
    )
    return committed(decide(None, AGENT, request, at, sla))


def status(ticket: Ticket, to: str, at: datetime, sla: SlaContext = DEFAULT_SLA) -> TicketChange:
    change = decide(ticket, AGENT, UpdateTicket(status=to), at, sla)
    assert change is not None
    return change


def reply(ticket: Ticket, by: object, at: datetime, sla: SlaContext = DEFAULT_SLA, public: bool = True) -> Ticket:
    return committed(decide(ticket, by, AddComment(f"c-{at.isoformat()}", "hello", public), at, sla))  # type: ignore[arg-type]


# --- the default: what the product always did ----------------------------------------------------


def test_without_policies_the_default_targets_hold_in_calendar_time() -> None:
    urgent = new_ticket(priority="urgent")
    assert urgent.sla_due_at == MONDAY_9 + HOUR
    assert urgent.clock.policy_id == "default" and urgent.clock.policy_name == "Default"
    assert urgent.clock.first_response_due_at == MONDAY_9 + HOUR
    assert urgent.clock.resolution_due_at == MONDAY_9 + 4 * HOUR
    assert urgent.clock.next_reply_due_at is None
    low = new_ticket(priority="low")
    assert low.sla_due_at == MONDAY_9 + 24 * HOUR


def test_after_the_first_response_the_resolution_is_due_and_solving_ends_the_clock() -> None:
    ticket = new_ticket(priority="high")
    answered = reply(ticket, AGENT, MONDAY_9 + HOUR)
    assert answered.sla_due_at == MONDAY_9 + 24 * HOUR
    # the met deadline stays, so whether it was met can be read from the ticket
    assert answered.clock.first_response_due_at == MONDAY_9 + 4 * HOUR
    solved = committed(status(answered, "solved", MONDAY_9 + 2 * HOUR))
    assert solved.sla_due_at is None
    assert state(solved.clock, solved.status, solved.first_response_at, MONDAY_9 + 3 * HOUR) == "none"


# --- policies ------------------------------------------------------------------------------------


def test_the_first_matching_policy_wins_and_others_fall_back_to_the_default() -> None:
    vip = replace(policy("vip", tag="vip"), name="VIP")
    billing = replace(policy("billing", queue="billing"), name="Billing")
    sla = SlaContext(policies=(vip, billing))
    assert sla.policy_for("high", "billing", ("vip",)).policy_id == "vip"
    assert sla.policy_for("high", "billing", ()).policy_id == "billing"
    assert sla.policy_for("high", "support", ()).policy_id == "default"
    # a policy without targets for the priority does not match it
    assert sla.policy_for("urgent", "billing", ("vip",)).policy_id == "default"
    assert SlaContext(policies=(billing, vip)).policy_for("high", "billing", ("vip",)).policy_id == "billing"


def test_a_business_hours_policy_counts_only_opening_hours() -> None:
    # GIVEN a high ticket at 16:00 on a Friday; 2 business hours to answer
    sla = SlaContext(calendar=OFFICE, policies=(policy(business_hours=True),))
    friday_4pm = datetime(2026, 11, 27, 16, tzinfo=UTC)
    ticket = new_ticket(sla, at=friday_4pm)
    # THEN the answer is due at 10:00 on Monday
    assert ticket.sla_due_at == datetime(2026, 11, 30, 10, tzinfo=UTC)
    assert ticket.clock.policy_id == "p1"


def test_changing_priority_moves_the_ticket_to_the_matching_targets() -> None:
    sla = SlaContext(policies=(policy(),))
    ticket = new_ticket(sla, priority="high")
    change = decide(ticket, AGENT, UpdateTicket(priority="urgent"), MONDAY_9 + HOUR, sla)
    assert change is not None
    assert change.after.clock.policy_id == "default"  # p1 has no urgent targets
    assert change.after.sla_due_at == MONDAY_9 + HOUR
    fields = {f.field: (f.before, f.after) for f in change.history.changes}
    assert fields["sla_policy_id"] == ("p1", "default")


# --- pauses --------------------------------------------------------------------------------------


def test_pending_stops_the_clock_and_reopening_pushes_the_deadlines_by_the_wait() -> None:
    ticket = reply(new_ticket(priority="high"), AGENT, MONDAY_9 + HOUR)  # resolution due Tue 09:00
    # WHEN the agent waits on the customer for five hours
    pending = status(ticket, "pending", MONDAY_9 + 2 * HOUR)
    paused = committed(pending)
    # THEN nothing is due while paused, the deadlines stand still, and history shows the pause
    assert paused.sla_due_at is None and paused.clock.paused_at == MONDAY_9 + 2 * HOUR
    assert paused.clock.resolution_due_at == MONDAY_9 + 24 * HOUR
    paused_fields = {f.field: (f.before, f.after) for f in pending.history.changes}
    assert paused_fields["sla_paused_at"] == (None, "2026-11-23T11:00:00.000000Z")
    # WHEN the ticket is opened again
    reopening = status(paused, "open", MONDAY_9 + 7 * HOUR)
    resumed = committed(reopening)
    # THEN the deadline moved by the five hours, and history shows the resume and the new deadline
    assert resumed.clock.paused_at is None
    assert resumed.sla_due_at == resumed.clock.resolution_due_at == MONDAY_9 + 29 * HOUR
    resumed_fields = {f.field: (f.before, f.after) for f in reopening.history.changes}
    assert resumed_fields["sla_paused_at"] == ("2026-11-23T11:00:00.000000Z", None)
    assert resumed_fields["resolution_due_at"] == ("2026-11-24T09:00:00.000000Z", "2026-11-24T14:00:00.000000Z")


def test_on_hold_to_pending_keeps_the_clock_stopped_from_the_first_pause() -> None:
    ticket = new_ticket(priority="high")
    held = committed(status(ticket, "on_hold", MONDAY_9 + HOUR))
    pending = committed(status(held, "pending", MONDAY_9 + 2 * HOUR))
    assert pending.clock.paused_at == MONDAY_9 + HOUR
    opened = committed(status(pending, "open", MONDAY_9 + 3 * HOUR))
    assert opened.clock.first_response_due_at == MONDAY_9 + 6 * HOUR  # 4 h target + 2 h paused


def test_a_pause_in_business_time_pushes_by_business_time_only() -> None:
    # GIVEN 16 business hours to resolve from Monday 09:00 (due Tuesday 17:00)
    sla = SlaContext(calendar=OFFICE, policies=(policy(business_hours=True),))
    ticket = reply(new_ticket(sla), AGENT, MONDAY_9 + HOUR, sla)
    assert ticket.clock.resolution_due_at == datetime(2026, 11, 24, 17, tzinfo=UTC)
    # WHEN it waits from Monday 16:00 until Tuesday 10:00 (2 business hours)
    paused = committed(status(ticket, "pending", datetime(2026, 11, 23, 16, tzinfo=UTC), sla))
    resumed = committed(status(paused, "open", datetime(2026, 11, 24, 10, tzinfo=UTC), sla))
    # THEN it is due 2 business hours later: Wednesday 11:00
    assert resumed.clock.resolution_due_at == datetime(2026, 11, 25, 11, tzinfo=UTC)


def test_a_deadline_missed_before_the_pause_stays_missed() -> None:
    ticket = new_ticket(priority="urgent")  # first response due 10:00
    paused = committed(status(ticket, "pending", MONDAY_9 + 2 * HOUR))
    assert state(paused.clock, paused.status, None, MONDAY_9 + 5 * HOUR) == "breached"
    resumed = committed(status(paused, "open", MONDAY_9 + 3 * HOUR))
    assert resumed.clock.first_response_due_at == MONDAY_9 + HOUR
    assert state(resumed.clock, resumed.status, None, MONDAY_9 + 3 * HOUR) == "breached"


def test_the_solved_stretch_does_not_count_after_a_reopen() -> None:
    ticket = reply(new_ticket(priority="high"), AGENT, MONDAY_9 + HOUR)
    solved = committed(status(ticket, "solved", MONDAY_9 + 2 * HOUR))
    reopened = reply(solved, AGENT, MONDAY_9 + 12 * HOUR)  # a public reply reopens it
    assert reopened.status == "open"
    assert reopened.sla_due_at == MONDAY_9 + 34 * HOUR  # 24 h + the 10 h it was solved


# --- every next reply ----------------------------------------------------------------------------


def test_the_requesters_new_message_starts_the_next_reply_target_and_the_agents_answer_ends_it() -> None:
    sla = SlaContext(policies=(policy(),))
    ticket = reply(new_ticket(sla), AGENT, MONDAY_9 + HOUR, sla)
    assert ticket.clock.next_reply_due_at is None
    # WHEN the requester writes again at 11:00
    asked = reply(ticket, REQUESTER, MONDAY_9 + 2 * HOUR, sla)
    # THEN the next agent reply is due 3 hours later, and it is the nearest deadline
    assert asked.clock.next_reply_due_at == MONDAY_9 + 5 * HOUR
    assert asked.sla_due_at == MONDAY_9 + 5 * HOUR
    # a second message does not restart the wait
    again = reply(asked, REQUESTER, MONDAY_9 + 3 * HOUR, sla)
    assert again.clock.next_reply_due_at == MONDAY_9 + 5 * HOUR
    # an internal note or an API key's reply does not answer it; the agent's public reply does
    assert reply(again, AGENT, MONDAY_9 + 4 * HOUR, sla, public=False).clock.next_reply_due_at is not None
    assert reply(again, ApiKeyActor("k1", "CI"), MONDAY_9 + 4 * HOUR, sla).clock.next_reply_due_at is not None
    answered = reply(again, AGENT, MONDAY_9 + 4 * HOUR, sla)
    assert answered.clock.next_reply_due_at is None
    assert answered.sla_due_at == answered.clock.resolution_due_at


def test_before_the_first_response_the_requesters_messages_start_no_next_reply() -> None:
    sla = SlaContext(policies=(policy(),))
    asked = reply(new_ticket(sla), REQUESTER, MONDAY_9 + HOUR, sla)
    assert asked.clock.next_reply_due_at is None
    assert asked.sla_due_at == MONDAY_9 + 2 * HOUR


# --- at risk -------------------------------------------------------------------------------------


def test_at_risk_in_the_last_quarter_of_the_target() -> None:
    ticket = new_ticket(priority="high")  # 4 h to answer: at risk from 12:00
    at = ticket.clock
    assert at.at_risk_at == MONDAY_9 + 3 * HOUR
    assert state(at, "new", None, MONDAY_9 + 2 * HOUR) == "ok"
    assert state(at, "new", None, MONDAY_9 + 3 * HOUR) == "at_risk"
    assert state(at, "new", None, MONDAY_9 + 4 * HOUR) == "breached"


def test_at_risk_counts_business_time() -> None:
    # 2 business hours from Friday 16:00 end Monday 10:00; the last half hour begins Monday 09:30
    sla = SlaContext(calendar=OFFICE, policies=(policy(business_hours=True),))
    ticket = new_ticket(sla, at=datetime(2026, 11, 27, 16, tzinfo=UTC))
    assert ticket.clock.at_risk_at == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert state(ticket.clock, "new", None, datetime(2026, 11, 28, 12, tzinfo=UTC)) == "ok"


def test_a_paused_ticket_shows_the_state_it_had_when_the_clock_stopped() -> None:
    ticket = new_ticket(priority="high")
    paused = committed(status(ticket, "pending", MONDAY_9 + HOUR))
    assert state(paused.clock, paused.status, None, MONDAY_9 + 100 * HOUR) == "ok"


# --- re-planning ---------------------------------------------------------------------------------


def test_a_new_policy_re_plans_an_open_ticket_and_a_repeat_changes_nothing() -> None:
    ticket = new_ticket(priority="high")  # default: first response due 13:00
    stricter = SlaContext(policies=(policy(),))
    change = decide(ticket, ROUTER, ReplanSla("sla policies changed"), MONDAY_9 + HOUR, stricter)
    assert change is not None and change.kind == "sla_replanned"
    assert change.after.clock.first_response_due_at == MONDAY_9 + 2 * HOUR
    assert change.after.sla_due_at == MONDAY_9 + 2 * HOUR
    fields = {f.field: (f.before, f.after) for f in change.history.changes}
    assert fields["sla_policy_id"] == ("default", "p1")
    assert change.audit.action == "ticket.sla_replanned"
    assert decide(committed(change), ROUTER, ReplanSla("again"), MONDAY_9 + 2 * HOUR, stricter) is None


def test_a_re_plan_keeps_the_deadline_a_met_target_was_met_against() -> None:
    answered = reply(new_ticket(priority="high"), AGENT, MONDAY_9 + HOUR)
    change = decide(answered, ROUTER, ReplanSla("policy"), MONDAY_9 + 2 * HOUR, SlaContext(policies=(policy(),)))
    assert change is not None
    assert change.after.clock.first_response_due_at == MONDAY_9 + 4 * HOUR  # the default's, as met
    assert change.after.clock.resolution_due_at == MONDAY_9 + 16 * HOUR


def test_a_re_plan_keeps_earlier_pauses() -> None:
    ticket = new_ticket(priority="high")
    paused = committed(status(ticket, "on_hold", MONDAY_9 + HOUR))
    resumed = committed(status(paused, "open", MONDAY_9 + 3 * HOUR))
    change = decide(resumed, ROUTER, ReplanSla("policy"), MONDAY_9 + 3 * HOUR, SlaContext(policies=(policy(),)))
    assert change is not None
    assert change.after.clock.first_response_due_at == MONDAY_9 + 4 * HOUR  # 2 h target + 2 h on hold


# --- properties ----------------------------------------------------------------------------------

WAITS = st.lists(
    st.tuples(st.sampled_from(["pending", "on_hold", "open", "solved"]), st.integers(min_value=1, max_value=600)),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(WAITS, st.booleans())
def test_the_resolution_target_counts_exactly_the_time_the_clock_ran(
    steps: list[tuple[str, int]], business_hours: bool
) -> None:
    # GIVEN any sequence of status changes, minutes apart, under calendar or business time
    sla = SlaContext(calendar=OFFICE, policies=(policy(business_hours=business_hours),))
    calendar = OFFICE if business_hours else SlaContext().calendar
    ticket = reply(new_ticket(sla, priority="normal"), AGENT, MONDAY_9 + timedelta(minutes=1), sla)
    at = MONDAY_9 + timedelta(minutes=1)
    stopped: list[tuple[datetime, datetime]] = []
    stopped_since: datetime | None = None
    for target, minutes in steps:
        at += timedelta(minutes=minutes)
        if target == ticket.status or (ticket.status == "solved" and target != "open"):
            continue
        before = ticket.status
        ticket = committed(status(ticket, target, at, sla))
        running_before = before not in ("pending", "on_hold", "solved")
        running_now = target not in ("pending", "on_hold", "solved")
        if running_before and not running_now:
            stopped_since = at
        elif not running_before and running_now and stopped_since is not None:
            stopped.append((stopped_since, at))
            stopped_since = None
    if stopped_since is not None and ticket.solved_at is not None:
        stopped.append((stopped_since, ticket.solved_at))  # solving ends a pause; the deadline is final
    due = ticket.clock.resolution_due_at
    assert due is not None
    # THEN the time from creation to the deadline, minus the stopped stretches before it, is the target
    stopped_before_due = sum(business_seconds_between(calendar, a, min(b, due)) for a, b in stopped if a < due)
    assert business_seconds_between(calendar, MONDAY_9, due) - stopped_before_due == 24 * 3600
    # and nothing is due while the clock stands still
    if ticket.status in ("pending", "on_hold", "solved"):
        assert ticket.sla_due_at is None
    else:
        assert ticket.sla_due_at == ticket.clock.resolution_due_at
