"""Workspace names and subjects as plain text in email headers."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.email_headers import display_name, plain_header_text, recipient, sender


def round_trip(name: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender(name, "support@pulsedesk.local")
    message["To"] = recipient("Rae", "rae@example.org")
    message["Subject"] = plain_header_text(subject)
    message.set_content("body")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_injection_and_a_spoofed_address_become_plain_words() -> None:
    parsed = round_trip("PayPal <x@evil>\r\nBcc: y", "[PayPal <x@evil>\r\nBcc: y] Your ticket")

    (from_,) = parsed["From"].addresses
    assert from_.addr_spec == "support@pulsedesk.local"
    assert from_.display_name == "PayPal x evil Bcc: y via Pulsedesk"
    assert parsed["Bcc"] is None
    assert str(parsed["Subject"]).strip() == "[PayPal <x@evil> Bcc: y] Your ticket"


def test_quotes_and_backslashes_cannot_close_the_display_name() -> None:
    assert display_name('Acme" <ceo@acme.example>, "x') == "Acme ceo acme.example , x"
    assert display_name("back\\slash") == "back slash"


def test_invisible_and_direction_changing_characters_are_removed() -> None:
    assert plain_header_text("invoice\u202egpj.exe\u200b\x00") == "invoice gpj.exe"
    assert display_name("Pay\u200dPal\u2028Security") == "Pay Pal Security"


def test_empty_and_long_names() -> None:
    assert sender("\r\n<>", "a@b.example").display_name == "Pulsedesk via Pulsedesk"
    assert len(display_name("x" * 500)) == 78
    assert len(plain_header_text("y " * 500)) <= 200


@given(st.text(max_size=300))
def test_any_name_gives_exactly_one_sender_with_the_platform_address(name: str) -> None:
    parsed = round_trip(name, name)

    (from_,) = parsed["From"].addresses
    assert from_.addr_spec == "support@pulsedesk.local"
    assert not set(from_.display_name) & set('<>"\\@\r\n')
    assert not set(str(parsed["Subject"])) & set("\r\n\x00")
    expected = {"from", "to", "subject", "content-type", "content-transfer-encoding", "mime-version"}
    assert {key.lower() for key in parsed} == expected
