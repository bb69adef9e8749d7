"""The OpenAPI document: served, valid, and describing every route the app answers."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import API_PREFIX, all_specs
from chalicelib.domain.permissions import Permission
from tests.api.client import ApiClient

SPECS = all_specs(ROUTERS)


@pytest.fixture(scope="module")
def document(api: ApiClient) -> dict[str, Any]:
    reply = api.get("/openapi.json")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    return dict(reply.body)


def registered_routes() -> set[tuple[str, str]]:
    from app import app

    return {
        (path, method)
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if not entry.view_name.startswith("method_not_allowed")
    }


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document, cls=OpenAPIV31SpecValidator)  # raises on any error


def test_the_validator_does_catch_a_broken_document(document: dict[str, Any]) -> None:
    # guards the test above: a document missing its info must not pass
    broken = {name: value for name, value in document.items() if name != "info"}
    with pytest.raises(Exception):
        validate(broken, cls=OpenAPIV31SpecValidator)


def test_every_registered_route_is_in_the_document_with_its_method(document: dict[str, Any]) -> None:
    routes = registered_routes()
    assert routes, "the app registered no routes"

    documented = {(path, method.upper()) for path, operations in document["paths"].items() for method in operations}
    missing = routes - documented
    assert not missing, f"routes missing from openapi.json: {sorted(missing)}"
    assert documented == routes, f"documented but not served: {sorted(documented - routes)}"


def test_each_operation_states_its_security_and_permission(document: dict[str, Any]) -> None:
    for spec in SPECS:
        operation = document["paths"][API_PREFIX + spec.path][spec.method.lower()]
        if spec.access == "public":
            assert "security" not in operation, spec.path
        else:
            assert operation["security"] == [{"bearer": []}], spec.path
        expected = str(spec.access) if isinstance(spec.access, Permission) else None
        assert operation.get("x-permission") == expected, spec.path
        assert operation.get("x-also-permissions", []) == [str(p) for p in spec.also_requires], spec.path


def test_the_tickets_behind_metrics_document_both_permissions(document: dict[str, Any]) -> None:
    operation = document["paths"][API_PREFIX + "/metrics/tickets"]["get"]
    assert operation["x-permission"] == "metrics.read"
    assert operation["x-also-permissions"] == ["tickets.read"]


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for operations in document["paths"].values() for op in operations.values()]
    assert len(ids) == len(set(ids))


def test_request_bodies_and_errors_point_at_real_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for spec in SPECS:
        operation = document["paths"][API_PREFIX + spec.path][spec.method.lower()]
        if spec.body is not None:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[-1] in schemas
        for status in ("401", "422"):
            problem = operation["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"]
            assert problem == "#/components/schemas/Problem"
        assert str(spec.status) in operation["responses"]


def test_path_parameters_are_declared(document: dict[str, Any]) -> None:
    operation = document["paths"][API_PREFIX + "/users/{id}"]["get"]
    assert {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}} in operation["parameters"]
