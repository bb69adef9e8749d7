"""CSAT as pure rules: the survey link, the rating change, its webhook event and its metrics."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.actors import EmailRequester
from chalicelib.domain.csat import read_survey_token, survey_token
from chalicelib.domain.errors import LinkExpired, LinkInvalid
from chalicelib.domain.events import ticket_events
from chalicelib.domain.metrics_fold import Happening, TicketFacts, fold
from chalicelib.domain.ticket_change import CreateTicket, RateTicket, Requester, decide

KEY = b"k" * 32
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
CUSTOMER = EmailRequester("casey@example.org", "Casey")


def ticket():  # type: ignore[no-untyped-def]
    created = decide(
        None,
        CUSTOMER,
        CreateTicket("t1", 1, "Printer", "Smoke", Requester("casey@example.org", "Casey"), "normal", "general"),
        NOW,
    )
    assert created is not None
    return created.after


def test_a_link_reads_back_until_seven_days_pass() -> None:
    token = survey_token(KEY, "tenant", "t1", NOW)
    assert "." not in token  # a dotted path would be served as a static file
    link = read_survey_token(KEY, token, NOW + timedelta(days=6, hours=23))
    assert (link.tenant_id, link.ticket_id) == ("tenant", "t1")
    with pytest.raises(LinkExpired):
        read_survey_token(KEY, token, NOW + timedelta(days=7))


@pytest.mark.parametrize(
    "mangle", [lambda t: t + "x", lambda t: t.replace("~", "", 1), lambda t: "a.b.c", lambda t: ""]
)
def test_an_altered_link_is_invalid(mangle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LinkInvalid):
        read_survey_token(KEY, mangle(survey_token(KEY, "tenant", "t1", NOW)), NOW)


def test_a_link_signed_for_another_purpose_is_invalid() -> None:
    import jwt

    other = jwt.encode({"aud": "pulsedesk:other", "t": "x", "k": "y", "exp": 9999999999}, KEY, algorithm="HS256")
    with pytest.raises(LinkInvalid):
        read_survey_token(KEY, other, NOW)


def test_the_last_answer_counts_and_a_repeat_changes_nothing() -> None:
    first = decide(ticket(), CUSTOMER, RateTicket("good"), NOW)
    assert first is not None and first.after.csat is not None and first.after.csat.rating == "good"
    assert decide(first.after, CUSTOMER, RateTicket("good"), NOW) is None
    second = decide(first.after, CUSTOMER, RateTicket("bad", "slow"), NOW + timedelta(minutes=1))
    assert second is not None and second.after.csat is not None
    assert (second.after.csat.rating, second.after.csat.comment) == ("bad", "slow")
    assert [(f.field, f.before, f.after) for f in second.fields] == [
        ("csat", "good", "bad"),
        ("csat_comment", "", "slow"),
    ]
    assert second.audit.action == "ticket.rated" and second.after.status == first.after.status


def test_a_rating_is_a_ticket_rated_event() -> None:
    before = {"tenant_id": "t", "id": "t1", "status": "solved", "priority": "normal", "csat": None}
    after = {**before, "csat": {"rating": "bad", "comment": "slow", "at": "x"}}
    events = ticket_events("rec-1", before, after, CUSTOMER.to_dict(), "2026-11-30T12:00:00Z")
    assert [e.type for e in events] == ["ticket.rated"]
    assert events[0].changes == {"csat": {"from": None, "to": "bad", "comment": "slow"}}


def facts() -> TicketFacts:
    return TicketFacts("t1", "solved", "normal", "agent-1", "general", (), "web", "Printer", NOW - timedelta(hours=1))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, "good", {"csat_good": 1}),
        (None, "bad", {"csat_bad": 1}),
        ("good", "bad", {"csat_good": -1, "csat_bad": 1}),
    ],
)
def test_ratings_fold_into_the_csat_counters(before: str | None, after: str, expected: dict[str, int]) -> None:
    from chalicelib.domain.ticket_change import FieldChange

    delta = fold(facts(), facts(), Happening(NOW, (FieldChange("csat", before, after),)))
    assert delta is not None and delta.counters == expected
    assert {d.key for d in delta.dimensions} >= {"agent#agent-1", "queue#general"}


def test_a_comment_alone_counts_nothing() -> None:
    from chalicelib.domain.ticket_change import FieldChange

    changes = (FieldChange("csat", "good", "good"), FieldChange("csat_comment", "", "thanks"))
    assert fold(facts(), replace(facts()), Happening(NOW, changes)) is None
