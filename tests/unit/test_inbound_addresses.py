"""Inbound addresses and the signed reply tokens."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.inbound_addresses import (
    BadReplyToken,
    ReplyAddress,
    WorkspaceAddress,
    destination,
    read_reply_token,
    reply_address,
    reply_token,
    subject_ticket_number,
)
from chalicelib.domain.signup_rules import is_reserved_slug

KEY = b"k" * 32
DOMAIN = "inbound.pulsedesk.localhost"
TENANT = uuid.uuid4().hex


@given(st.integers(min_value=1, max_value=2**35))
def test_a_token_names_its_tenant_and_ticket_and_fits_an_smtp_local_part(number: int) -> None:
    address = reply_address(KEY, TENANT, number, DOMAIN)
    assert len(address.partition("@")[0]) <= 64
    assert destination(address, DOMAIN, KEY) == ReplyAddress(TENANT, number)
    assert destination(address.upper(), DOMAIN, KEY) == ReplyAddress(TENANT, number)  # case-insensitive


def test_a_token_cannot_be_altered_or_made_without_the_key() -> None:
    token = reply_token(KEY, TENANT, 12)
    other_tenant = uuid.uuid4().hex
    assert read_reply_token(b"another key" * 3, token) is None
    assert read_reply_token(KEY, reply_token(b"guess", other_tenant, 12)) is None
    for position in range(len(token)):
        flipped = token[:position] + ("a" if token[position] != "a" else "b") + token[position + 1 :]
        assert read_reply_token(KEY, flipped) != ReplyAddress(TENANT, 12)
    assert read_reply_token(KEY, token[:-1]) is None
    assert read_reply_token(KEY, "not base32!") is None
    assert isinstance(destination(f"reply+{token[:-2]}@{DOMAIN}", DOMAIN, KEY), BadReplyToken)


def test_workspace_addresses() -> None:
    assert destination(f"acme@{DOMAIN}", DOMAIN, KEY) == WorkspaceAddress("acme", None)
    assert destination(f"Acme+Billing@{DOMAIN.upper()}", DOMAIN, KEY) == WorkspaceAddress("acme", "billing")
    assert destination("acme@elsewhere.example", DOMAIN, KEY) is None
    assert destination(f"acme+bad_name!@{DOMAIN}", DOMAIN, KEY) is None
    assert destination(f"reply@{DOMAIN}", DOMAIN, KEY) is None
    assert destination(f"-x@{DOMAIN}", DOMAIN, KEY) is None
    assert destination("no-at-sign", DOMAIN, KEY) is None


def test_reply_can_never_be_a_workspace_slug() -> None:
    assert is_reserved_slug("reply")


def test_subject_tags() -> None:
    assert subject_ticket_number("Re: [Acme] Re: Printer [#12]") == 12
    assert subject_ticket_number("Re: [#3] Fwd: [#45]") == 45
    assert subject_ticket_number("Order #12 is late") is None
    assert subject_ticket_number("[#]") is None
