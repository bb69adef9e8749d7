from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router
from chalicelib.api.schemas import RoutingSettingsIn
from chalicelib.contracts.responses import AgentLoadListOut, RoutingSettingsOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="assignment")


@router.route(
    "/agents/load",
    "GET",
    access=Permission.METRICS_READ,
    response=AgentLoadListOut,
    summary="Each agent's open tickets by priority, weighted load, capacity and availability",
)
def team_load(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import assignment

    return assignment.team_load(call.principal)


@router.route(
    "/settings/routing",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=RoutingSettingsOut,
    summary="Automatic assignment settings",
)
def get_routing(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import assignment

    return assignment.get_routing(call.principal)


@router.route(
    "/settings/routing",
    "PUT",
    access=Permission.SETTINGS_MANAGE,
    body=RoutingSettingsIn,
    response=RoutingSettingsOut,
    summary="Change automatic assignment: queues, weights, absences",
)
def put_routing(call: Call[RoutingSettingsIn, Any]) -> dict[str, Any]:
    from chalicelib.services import assignment

    return assignment.put_routing(call.principal, call.body.model_dump())
