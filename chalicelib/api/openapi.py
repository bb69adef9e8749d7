"""The OpenAPI 3.1 document, built from the route declarations that also validate requests."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from chalicelib.api.routing import API_PREFIX, RouteSpec, body_required
from chalicelib.domain.permissions import Permission

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    "400": "Malformed request (e.g. invalid JSON)",
    "401": "Missing or invalid credentials",
    "403": "The caller lacks the permission",
    "404": "No such resource in this workspace",
    "405": "Method not allowed; `Allow` lists the methods",
    "409": "Conflict with the current state",
    "413": "Body too large",
    "415": "The body is not application/json",
    "422": "Invalid fields; `errors` names each",
    "428": "A version is required (If-Match or `version`)",
    "429": "Too many requests",
    "500": "Internal error",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def build_document(specs: list[RouteSpec]) -> dict[str, Any]:
    models = _models(specs)
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    schemas = {**_closed_key_patterns(defs.get("$defs", {})), "Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for spec in specs:
        paths.setdefault(API_PREFIX + spec.path, {})[spec.method.lower()] = _operation(spec)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pulsedesk API",
            "version": "1.0.0",
            "description": "Customer-support tickets, live. Errors are RFC 9457 problem+json.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An access JWT from /auth/login, or an API key (pdk_...).",
                }
            },
        },
    }


def _closed_key_patterns(node: Any) -> Any:
    """A dict with constrained keys (``dict[Queue, bool]``) refuses every other key: pydantic publishes
    ``patternProperties`` alone, which JSON Schema reads as "other keys allowed"; say what is validated."""
    if isinstance(node, dict):
        closed = {key: _closed_key_patterns(value) for key, value in node.items()}
        if "patternProperties" in closed and "additionalProperties" not in closed and "properties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_closed_key_patterns(item) for item in node]
    return node


def _models(specs: list[RouteSpec]) -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {}
    for spec in specs:
        for model in (spec.body, spec.response, spec.form):
            if model is not None:
                seen[model.__name__] = model
    return list(seen.values())


def _operation(spec: RouteSpec) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": spec.handler.__name__,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": _path_parameters(spec.path) + _query_parameters(spec.query) + _header_parameters(spec),
        "responses": _responses(spec),
    }
    if spec.access != "public":
        operation["security"] = [{"bearer": []}]
        if isinstance(spec.access, Permission):
            operation["x-permission"] = str(spec.access)
        if spec.also_requires:
            operation["x-also-permissions"] = [str(p) for p in spec.also_requires]
    if spec.form is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": {"$ref": REF.format(model=spec.form.__name__)}}
            },
        }
    if spec.body is not None:
        operation["requestBody"] = {
            "required": body_required(spec.body),
            "content": {"application/json": {"schema": {"$ref": REF.format(model=spec.body.__name__)}}},
        }
    return operation


def _path_parameters(path: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", path)
    ]


def _header_parameters(spec: RouteSpec) -> list[dict[str, Any]]:
    return [
        {
            "name": header.name,
            "in": "header",
            "required": header.required,
            "description": header.description,
            "schema": {"type": "string", "pattern": header.pattern},
        }
        for header in spec.headers
    ]


def _query_parameters(model: type[BaseModel] | None) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
            **({"explode": True} if prop.get("type") == "array" else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


# Headers every answer carries, and those some statuses add.
_EVERY_ANSWER = {name: {"required": True, "schema": {"const": value}} for name, value in API_RESPONSE_HEADERS.items()}
_STATUS_HEADERS = {
    "405": {"Allow": {"required": True, "description": "The methods this path has", "schema": {"type": "string"}}},
    "429": {"Retry-After": {"required": True, "description": "Seconds to wait", "schema": {"type": "string"}}},
}


_VALIDATOR_HEADERS = {
    "ETag": {"required": True, "description": "A strong tag of this answer's bytes", "schema": {"type": "string"}},
    "Vary": {"required": True, "description": "The answer depends on the caller", "schema": {"const": "Authorization"}},
}


def _responses(spec: RouteSpec) -> dict[str, Any]:
    every = {**_EVERY_ANSWER, **_VALIDATOR_HEADERS} if spec.conditional else _EVERY_ANSWER
    success: dict[str, Any] = {"description": "Success", "headers": every}
    if spec.response is not None:
        success["content"] = {"application/json": {"schema": {"$ref": REF.format(model=spec.response.__name__)}}}
        for media_type in spec.also_answers:
            success["content"][media_type] = {"schema": {"type": "string"}}
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    errors = {
        code: {"description": text, "headers": {**_EVERY_ANSWER, **_STATUS_HEADERS.get(code, {})}, **problem}
        for code, text in ERROR_STATUSES.items()
    }
    if spec.conditional:
        errors["304"] = {
            "description": "Not modified: If-None-Match names this answer's ETag; no body",
            "headers": every,
        }
    return {str(spec.status): success, **errors}
