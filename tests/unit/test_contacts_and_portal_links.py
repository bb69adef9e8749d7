"""Pure rules of contacts and the portal's emailed links."""

from __future__ import annotations

from chalicelib.domain.contacts import contact_id, name_key, organisation
from chalicelib.domain.portal_links import LinkToken, parse_link_token, portal_link, portal_status, web_request_email


def test_a_contact_is_one_per_address_whatever_its_case() -> None:
    assert contact_id("Ann@Acme.Example ") == contact_id("ann@acme.example")
    assert contact_id("ann@acme.example") != contact_id("bob@acme.example")
    assert len(contact_id("ann@acme.example")) == 32


def test_the_organisation_is_the_domain_unless_free_mail() -> None:
    assert organisation("ann@Acme.example") == "acme.example"
    assert organisation("bob@gmail.com") is None
    assert organisation("nobody") is None


def test_names_are_searched_lower_case_with_spaces_folded() -> None:
    assert name_key("  Rita   REQUESTER ") == "rita requester"


def test_a_link_token_round_trips_and_nothing_else_parses() -> None:
    token = LinkToken("a" * 32, "b" * 32, "s" * 43)
    assert parse_link_token(str(token)) == token
    for bad in ("", "x" * 107, str(token) + "!", "A" * 32 + "b" * 32 + "s" * 43):
        assert parse_link_token(bad) is None


def test_links_carry_the_token_in_the_fragment() -> None:
    token = LinkToken("a" * 32, "b" * 32, "s" * 43)
    assert (
        portal_link("https://x.example/", "acme", "sign_in", token)
        == f"https://x.example/portal/acme/sign-in#token={token}"
    )
    assert "/portal/acme/confirm#token=" in portal_link("https://x.example", "acme", "web_request", token)


def test_a_customer_sees_open_or_solved_only() -> None:
    assert [portal_status(s) for s in ("new", "open", "pending", "on_hold", "solved", "closed")] == [
        "open",
        "open",
        "open",
        "open",
        "solved",
        "solved",
    ]


def test_the_web_form_email_shows_the_subject_as_escaped_text() -> None:
    rendered = web_request_email("Acme", "<script>x</script>", "https://x.example/l", 24)
    assert "<script>" not in rendered.html
