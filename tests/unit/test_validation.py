"""Request models: what they accept and refuse (the API layer turns refusals into 400/422)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.api.schemas import ApiKeyCreateIn, PageQuery, SignupIn, UserCreateIn, UserPatchIn

SIGNUP = {
    "workspace_name": "Acme",
    "workspace_slug": "acme-support",
    "name": "Ada",
    "email": "ada@acme.io",
    "password": "correct horse battery",
}


def strict(model: type[Any], body: dict[str, Any]) -> Any:
    """As the API parses bodies: from JSON text, strictly."""
    return model.model_validate_json(json.dumps(body), strict=True)


def fields_in(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in error.value.errors()}


def test_a_good_signup_parses() -> None:
    assert strict(SignupIn, SIGNUP).workspace_slug == "acme-support"


@pytest.mark.parametrize(
    "field, value",
    [
        ("workspace_slug", "Acme"),
        ("workspace_slug", "-acme"),
        ("workspace_slug", "acme-"),
        ("workspace_slug", "ab"),
        ("workspace_slug", "a" * 41),
        ("workspace_slug", "acme_support"),
        ("email", "not-an-email"),
        ("password", "short"),
        ("name", "   "),
        ("workspace_name", ""),
        ("password", 1234567890123),
    ],
)
def test_a_bad_signup_field_is_named(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        strict(SignupIn, {**SIGNUP, field: value})
    assert fields_in(caught) == {field}


@given(st.from_regex(r"[a-z0-9][a-z0-9-]{1,38}[a-z0-9]", fullmatch=True))
def test_every_slug_of_the_documented_shape_is_accepted(slug: str) -> None:
    assert strict(SignupIn, {**SIGNUP, "workspace_slug": slug}).workspace_slug == slug


def test_unknown_fields_are_refused_not_ignored() -> None:
    with pytest.raises(ValidationError) as caught:
        strict(SignupIn, {**SIGNUP, "role": "admin"})
    assert fields_in(caught) == {"role"}


def test_missing_fields_are_each_named() -> None:
    with pytest.raises(ValidationError) as caught:
        strict(SignupIn, {})
    assert fields_in(caught) == set(SIGNUP)


@pytest.mark.parametrize("body", [{"capacity": "5"}, {"active": "true"}, {"skills": "billing"}, {"role": "owner"}])
def test_user_patch_is_strict_about_types_and_roles(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        strict(UserPatchIn, body)


def test_user_patch_knows_which_fields_were_sent() -> None:
    assert strict(UserPatchIn, {"availability": "away"}).model_dump(exclude_unset=True) == {"availability": "away"}


@pytest.mark.parametrize("capacity", [-1, 501])
def test_capacity_is_bounded(capacity: int) -> None:
    with pytest.raises(ValidationError):
        strict(
            UserCreateIn, {"name": "A", "email": "a@b.io", "role": "agent", "password": "x" * 10, "capacity": capacity}
        )


@pytest.mark.parametrize("scopes", [[], ["tickets.read"] * 21])
def test_an_api_key_has_one_to_twenty_scopes(scopes: list[str]) -> None:
    with pytest.raises(ValidationError):
        strict(ApiKeyCreateIn, {"name": "CI", "scopes": scopes})


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_page_limit_is_1_to_100(limit: str) -> None:
    with pytest.raises(ValidationError):
        PageQuery.model_validate({"limit": limit})


def test_page_limit_from_the_query_string_is_a_number() -> None:
    assert PageQuery.model_validate({"limit": "2"}).limit == 2
