from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from functools import lru_cache
from typing import Any

from chalicelib.api.openapi import build_document
from chalicelib.api.routing import Call, Router, all_specs
from chalicelib.contracts.responses import HealthOut

router = Router(__name__, tag="meta")

# Filled by the registry, which alone knows every router: this module is one of them, so it may not
# import the registry back (that would be an import cycle).
_documented: list[Router] = []


def document_routers(routers: Iterable[Router]) -> None:
    """Names the routers the OpenAPI document describes."""
    _documented[:] = routers
    _document.cache_clear()


@router.route("/health", "GET", access="public", response=HealthOut, summary="Liveness, with a table read")
def health(call: Call[Any, Any]) -> dict[str, Any]:
    from pynamodb.exceptions import DoesNotExist

    from chalicelib.data.models import MainItem

    with suppress(DoesNotExist):  # an absent item still proves the table answers
        MainItem.get("HEALTH", "HEALTH")
    return {"status": "ok", "checks": {"table": "ok"}}


@router.route("/openapi.json", "GET", access="public", summary="This API's OpenAPI 3.1 document")
def openapi(call: Call[Any, Any]) -> dict[str, Any]:
    return _document()


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return build_document(all_specs(_documented))
