"""Reserved slugs, password strength and the outbound email rule: pure sign-up rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.outbound_email import Outbound, outbound_rule
from chalicelib.domain.password_strength import password_problem
from chalicelib.domain.signup_rules import confirmation_email, confirmation_link, is_reserved_slug

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize("slug", ["api", "www", "admin", "mail", "status", "pulsedesk", "my-pulsedesk", "WWW"])
def test_reserved_slugs(slug: str) -> None:
    assert is_reserved_slug(slug)


@pytest.mark.parametrize("slug", ["acme", "acme-support", "ws-12ab", "apiary", "demo"])
def test_ordinary_slugs(slug: str) -> None:
    assert not is_reserved_slug(slug)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop"])
def test_common_passwords_are_refused_with_what_to_do(password: str) -> None:
    problem = password_problem(password, [], 3)

    assert problem is not None and problem.startswith("This password is too easy to guess.")
    assert "Add another word" in problem or "Avoid" in problem


def test_the_persons_own_words_count_against_the_password() -> None:
    assert password_problem("northwindhelpdesk", [], 3) is None  # strong enough for a stranger...
    assert password_problem("northwindhelpdesk", ["Northwind Helpdesk"], 3) is not None  # ...not at Northwind


def test_a_passphrase_passes() -> None:
    assert password_problem("correct horse battery", ["Ada Admin", "ada@acme.example"], 3) is None


def test_the_link_keeps_the_token_in_the_fragment() -> None:
    assert confirmation_link("https://desk.example/", "tok_1") == "https://desk.example/sign-up/confirm#token=tok_1"


def test_the_confirmation_email_is_plain_and_has_a_fixed_subject() -> None:
    mail = confirmation_email("Ada", "<b>PayPal</b>\r\nBcc: x", "paypal", "https://d.example/l", 24)

    assert mail.subject == "Confirm your email to create your Pulsedesk workspace"
    assert "<b>" not in mail.html and "\r" not in mail.text and "24 hours" in mail.text


def test_confirmed_members_are_always_reachable() -> None:
    assert outbound_rule(confirmed_at=None, now=NOW, recipient_is_confirmed_member=True, first_day=DAY) is Outbound.SEND


def test_an_unconfirmed_workspace_holds_mail_to_anyone_else() -> None:
    rule = outbound_rule(confirmed_at=None, now=NOW, recipient_is_confirmed_member=False, first_day=DAY)
    assert rule is Outbound.HOLD_UNCONFIRMED


def test_the_first_day_spends_the_budget_and_then_mail_flows() -> None:
    def rule(age: timedelta) -> Outbound:
        return outbound_rule(confirmed_at=NOW - age, now=NOW, recipient_is_confirmed_member=False, first_day=DAY)

    assert rule(timedelta(hours=23)) is Outbound.SPEND_BUDGET
    assert rule(DAY) is Outbound.SEND


def test_a_vetted_workspace_has_no_first_day_budget() -> None:
    rule = outbound_rule(confirmed_at=NOW, now=NOW, recipient_is_confirmed_member=False, first_day=DAY, vetted=True)
    assert rule is Outbound.SEND
