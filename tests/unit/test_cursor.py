"""Opaque cursors: they round-trip, and nobody can forge, alter or move one to another listing."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.api.problems import problem_type
from chalicelib.data import cursor
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.domain.errors import ValidationFailed

POSITION = {"pk": {"S": "T#t1#USER"}, "sk": {"S": "user-42"}}
json_keys = st.dictionaries(
    st.text(min_size=1, max_size=10),
    st.dictionaries(st.sampled_from(["S", "N"]), st.text(max_size=30), min_size=1, max_size=1),
    max_size=3,
)


def assert_invalid_cursor(tenant: str, listing: str, value: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(tenant, listing, value)
    assert problem_type(type(caught.value)).status == 422
    assert caught.value.errors == [{"field": "cursor", "message": "is not a cursor this listing returned"}]


@given(st.text(min_size=1, max_size=20), st.sampled_from(["users", "audit", "tickets"]), json_keys)
def test_a_cursor_round_trips(tenant: str, listing: str, position: dict[str, Any]) -> None:
    assert decode_cursor(tenant, listing, encode_cursor(tenant, listing, position)) == position


@pytest.mark.parametrize("empty", [None, ""])
def test_no_cursor_means_the_first_page(empty: str | None) -> None:
    assert decode_cursor("t1", "users", empty) is None


def test_a_cursor_is_opaque() -> None:
    # a tenant id long enough that random ciphertext never spells it (two letters did, once in a while)
    value = encode_cursor("tenant-0f3a9c", "users", POSITION)

    assert "user-42" not in value
    assert "tenant-0f3a9c" not in value
    assert b"user-42" not in base64.urlsafe_b64decode(value + "==")
    assert b"tenant-0f3a9c" not in base64.urlsafe_b64decode(value + "==")


def test_a_cursor_of_another_tenant_is_invalid() -> None:
    assert_invalid_cursor("t2", "users", encode_cursor("t1", "users", POSITION))


def test_a_cursor_of_another_listing_is_invalid() -> None:
    assert_invalid_cursor("t1", "audit", encode_cursor("t1", "users", POSITION))


@given(st.data())
def test_changing_any_character_invalidates_a_cursor(data: st.DataObject) -> None:
    value = encode_cursor("t1", "users", POSITION)
    index = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    replacement = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
    tampered = value[:index] + replacement + value[index + 1 :]
    if tampered == value:
        return
    try:
        assert decode_cursor("t1", "users", tampered) == POSITION  # a base64 padding bit may be free
    except ValidationFailed as error:
        assert problem_type(type(error)).status == 422


@pytest.mark.parametrize(
    "forged",
    [
        "garbage",
        base64.urlsafe_b64encode(json.dumps({"t": "t1", "l": "users", "p": POSITION}).encode()).decode(),
        json.dumps(POSITION),
        "gAAAAA",
        "é",
    ],
)
def test_a_forged_cursor_is_invalid(forged: str) -> None:
    assert_invalid_cursor("t1", "users", forged)


def test_a_cursor_made_with_another_secret_is_invalid(configure: Callable[..., None]) -> None:
    configure(PULSEDESK_CURSOR_SECRET="one secret")
    value = encode_cursor("t1", "users", POSITION)
    configure(PULSEDESK_CURSOR_SECRET="another secret")

    assert_invalid_cursor("t1", "users", value)


def test_a_week_old_cursor_has_expired() -> None:
    payload = json.dumps({"t": "t1", "l": "users", "p": POSITION}).encode()
    import time

    old = cursor._fernet().encrypt_at_time(payload, int(time.time()) - 8 * 24 * 3600).decode()
    fresh = cursor._fernet().encrypt_at_time(payload, int(time.time()) - 3600).decode()

    assert decode_cursor("t1", "users", fresh) == POSITION
    assert_invalid_cursor("t1", "users", old)
