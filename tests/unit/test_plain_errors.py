"""Validation messages in plain words."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from chalicelib.api.plain_errors import plain_message
from chalicelib.api.schemas import SignupIn


class Sample(BaseModel):
    count: Annotated[int, Field(ge=1, le=10)] = 1
    name: Annotated[str, StringConstraints(min_length=1, max_length=5)] = "x"
    tags: Annotated[list[str], Field(max_length=2)] = []


def messages(model: type[BaseModel], data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(map(str, e["loc"])): plain_message(e) for e in caught.value.errors(include_url=False)}


def test_sign_up_names_what_to_type_not_the_pattern() -> None:
    found = messages(SignupIn, {"workspace_name": "Acme", "workspace_slug": "Acme Inc!", "name": "A", "email": "a@b.c"})
    assert found["workspace_slug"].startswith("Use 3 to 40 lower-case letters")
    assert found["password"] == "Fill this in."
    assert "pattern" not in " ".join(found.values())


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"count": 0}, "count", "Enter 1 or more."),
        ({"count": 11}, "count", "Enter 10 or less."),
        ({"count": "many"}, "count", "Enter a whole number."),
        ({"name": ""}, "name", "Fill this in."),
        ({"name": "toolong"}, "name", "Use at most 5 characters."),
        ({"tags": ["a", "b", "c"]}, "tags", "Keep it to 2 or fewer."),
        ({"other": 1}, "other", "This is not a field this form takes."),
    ],
)
def test_each_kind_reads_as_words(data: dict[str, object], field: str, message: str) -> None:
    class Closed(Sample):
        model_config = {"extra": "forbid"}

    assert messages(Closed, data)[field] == message
