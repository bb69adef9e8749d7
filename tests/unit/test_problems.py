"""The one mapping from domain errors to RFC 9457 problem+json responses."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

import chalicelib
from chalicelib.api.problems import (
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TYPES,
    internal_error,
    problem_from_error,
    problem_type,
)
from chalicelib.domain import errors
from chalicelib.domain.errors import DomainError, InvalidTransition, TooManyRequests, ValidationFailed, invalid

SIMPLE = [
    (errors.BadRequest, 400),
    (errors.Unauthorized, 401),
    (errors.Forbidden, 403),
    (errors.NotFound, 404),
    (errors.MethodNotAllowed, 405),
    (errors.Conflict, 409),
    (errors.PayloadTooLarge, 413),
    (errors.UnsupportedMediaType, 415),
]


def body_of(error: DomainError) -> tuple[int, dict[str, str], dict[str, object]]:
    response = problem_from_error(error)
    return response.status_code, response.headers, json.loads(response.body)


@pytest.mark.parametrize("error_class, status", SIMPLE)
def test_each_error_maps_to_its_status_as_problem_json(error_class: type[DomainError], status: int) -> None:
    code, headers, body = body_of(error_class("What went wrong, for a person."))

    assert code == status == body["status"]
    assert headers["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert body["detail"] == "What went wrong, for a person."
    assert str(body["type"]).startswith("urn:pulsedesk:problem:")
    assert body["title"] and body["title"] != body["detail"]


def every_domain_error() -> list[type[DomainError]]:
    """Every DomainError subclass, wherever in chalicelib it is declared."""
    for module in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
        importlib.import_module(module.name)

    def subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return subclasses(DomainError)


def test_every_domain_error_has_a_distinct_type_and_an_error_status() -> None:
    found = every_domain_error()
    mapped = [c for c in found if c in PROBLEM_TYPES]

    assert {c for c, _ in SIMPLE} <= set(found)
    assert len({PROBLEM_TYPES[c].slug for c in mapped}) == len(mapped)
    assert all(400 <= problem_type(c).status < 600 for c in found)


def test_domain_errors_know_nothing_of_http() -> None:
    http_words = {"status", "status_code", "title", "type_slug", "headers"}

    for error_class in [DomainError, *every_domain_error()]:
        assert not http_words & set(vars(error_class)), f"{error_class.__name__} carries HTTP details"


def test_an_unlisted_subclass_answers_as_its_nearest_listed_ancestor() -> None:
    from chalicelib.data.store import TransactionConflict

    assert problem_type(TransactionConflict) == PROBLEM_TYPES[errors.Conflict]
    assert problem_type(errors.BadRequest).status == 400


def test_a_missing_version_is_428() -> None:
    code, _, body = body_of(errors.PreconditionRequired("Send the version you edited."))

    assert code == 428 and body["type"] == "urn:pulsedesk:problem:precondition-required"


def test_validation_lists_each_field() -> None:
    code, _, body = body_of(ValidationFailed([{"field": "email", "message": "bad"}, {"field": "name", "message": "x"}]))

    assert code == 422
    assert body["errors"] == [{"field": "email", "message": "bad"}, {"field": "name", "message": "x"}]


def test_invalid_names_the_field_in_errors_and_detail() -> None:
    _, _, body = body_of(invalid("cursor", "is not a cursor this listing returned"))

    assert body["errors"] == [{"field": "cursor", "message": "is not a cursor this listing returned"}]
    assert str(body["detail"]).startswith("cursor:")


def test_too_many_requests_sends_retry_after() -> None:
    code, headers, body = body_of(TooManyRequests("Locked for a while.", 120))

    assert code == 429
    assert headers["Retry-After"] == "120"
    assert body["retry_after"] == 120


def test_extra_fields_travel_in_the_body() -> None:
    _, _, body = body_of(InvalidTransition("closed", "open"))

    assert (body["status"], body["current"], body["requested"]) == (422, "closed", "open")


def test_conflict_can_name_its_field() -> None:
    _, _, body = body_of(errors.Conflict("Taken.", field="workspace_slug"))

    assert body["field"] == "workspace_slug"


def test_an_internal_error_tells_nothing() -> None:
    response = internal_error()
    body = json.loads(response.body)

    assert response.status_code == 500
    assert response.headers["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert set(body) == {"type", "title", "status", "detail"}
    assert "Traceback" not in body["detail"]
