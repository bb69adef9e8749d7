from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import BusinessHoursIn, SlaPolicyIn, SlaPolicyOrderIn, SlaPolicyPatchIn
from chalicelib.contracts.responses import BusinessHoursOut, SlaPolicyListOut, SlaPolicyOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="sla")
READ = Permission.TICKETS_READ  # whoever works or watches tickets may see what they are held to
MANAGE = Permission.SETTINGS_MANAGE


@router.route(
    "/settings/business-hours",
    "GET",
    access=READ,
    response=BusinessHoursOut,
    summary="The workspace's business hours: time zone, weekly hours, holidays",
)
def get_business_hours(call: Call[Any, Any]) -> BusinessHoursOut:
    from chalicelib.services import business_hours

    return business_hours.get_business_hours(call.principal)


@router.route(
    "/settings/business-hours",
    "PUT",
    access=MANAGE,
    body=BusinessHoursIn,
    response=BusinessHoursOut,
    summary="Set the business hours; open tickets on business-time policies are re-planned",
)
def put_business_hours(call: Call[BusinessHoursIn, Any]) -> BusinessHoursOut:
    from chalicelib.services import business_hours

    return business_hours.put_business_hours(call.principal, call.body.model_dump())


@router.route(
    "/sla-policies",
    "GET",
    access=READ,
    response=SlaPolicyListOut,
    summary="SLA policies in the order they are tried (first match wins), and the built-in default",
)
def list_sla_policies(call: Call[Any, Any]) -> SlaPolicyListOut:
    from chalicelib.services import sla_policies

    return sla_policies.list_policies(call.principal)


@router.route(
    "/sla-policies",
    "POST",
    access=MANAGE,
    body=SlaPolicyIn,
    response=SlaPolicyOut,
    status=201,
    summary="Add an SLA policy; it is tried after the existing ones",
)
def create_sla_policy(call: Call[SlaPolicyIn, Any]) -> SlaPolicyOut:
    from chalicelib.services import sla_policies

    return sla_policies.create_policy(call.principal, call.body.model_dump())


@router.route(
    "/sla-policies",
    "PUT",
    access=MANAGE,
    body=SlaPolicyOrderIn,
    response=SlaPolicyListOut,
    summary="Reorder the SLA policies: send every id in the new order",
)
def reorder_sla_policies(call: Call[SlaPolicyOrderIn, Any]) -> SlaPolicyListOut:
    from chalicelib.services import sla_policies

    return sla_policies.reorder_policies(call.principal, call.body.ids)


@router.route("/sla-policies/{id}", "GET", access=READ, response=SlaPolicyOut, summary="One SLA policy")
def get_sla_policy(call: Call[Any, Any]) -> SlaPolicyOut:
    from chalicelib.services import sla_policies

    return sla_policies.get_policy(call.principal, call.path["id"])


@router.route(
    "/sla-policies/{id}",
    "PATCH",
    access=MANAGE,
    body=SlaPolicyPatchIn,
    response=SlaPolicyOut,
    summary="Change a policy's name, narrowing, time basis or targets",
)
def update_sla_policy(call: Call[SlaPolicyPatchIn, Any]) -> SlaPolicyOut:
    from chalicelib.services import sla_policies

    return sla_policies.update_policy(call.principal, call.path["id"], call.body.model_dump(exclude_unset=True))


@router.route("/sla-policies/{id}", "DELETE", access=MANAGE, status=204, summary="Remove an SLA policy")
def delete_sla_policy(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import sla_policies

    sla_policies.delete_policy(call.principal, call.path["id"])
    return Reply(None, 204)
