"""The reset token's shape, the link and the email: pure rules."""

from __future__ import annotations

from chalicelib.domain.password_reset_rules import (
    RESET_SUBJECT,
    ResetToken,
    parse_reset_token,
    reset_email,
    reset_link,
)

TENANT, USER, SECRET = "a" * 32, "0123456789abcdef" * 2, "s3cr-et_" * 5 + "xyz"


def test_a_token_round_trips_and_anything_else_is_refused() -> None:
    token = ResetToken(TENANT, USER, SECRET)
    assert parse_reset_token(str(token)) == token
    for bad in ("", "x" * 43, f"{TENANT}{USER}", f"{TENANT}{USER}short", f"{TENANT.upper()}{USER}{SECRET}",
                f"{TENANT}{USER}{SECRET}<script>", f"{TENANT}.{USER}.{SECRET}"):  # fmt: skip
        assert parse_reset_token(bad) is None, bad


def test_the_link_carries_the_token_in_the_fragment() -> None:
    token = ResetToken(TENANT, USER, SECRET)
    assert reset_link("https://desk.example/", token) == f"https://desk.example/reset-password#token={token}"


def test_the_email_is_plain_and_has_a_fixed_subject() -> None:
    mail = reset_email("Ada\r\nBcc: x", "<b>PayPal</b>", "paypal", "https://d.example/l?a=1&b=2", 60)
    assert mail.subject == RESET_SUBJECT
    assert "\r" not in mail.text and "Bcc: x" in mail.text.splitlines()[0]  # one line, shown as text
    assert "<b>" not in mail.html and "&lt;" not in mail.html  # the name lost its markup characters
    assert 'href="https://d.example/l?a=1&amp;b=2"' in mail.html
    assert "60 minutes" in mail.text
