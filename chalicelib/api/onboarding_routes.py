"""The first-run checklist and its sample tickets."""

from __future__ import annotations

from typing import Any

from chalicelib.api.onboarding_schemas import OnboardingDismissIn, OnboardingMarkIn, SampleTicketsIn
from chalicelib.api.routing import Call, Router
from chalicelib.contracts.onboarding import OnboardingOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="onboarding")


@router.route(
    "/onboarding",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=OnboardingOut,
    summary="The first-run checklist: each step, ticked from the workspace's state or marked by an admin",
)
def get_checklist(call: Call[Any, Any]) -> OnboardingOut:
    from chalicelib.services import onboarding

    return onboarding.get_checklist(call.principal)


@router.route(
    "/onboarding/steps/{step}",
    "PUT",
    access=Permission.SETTINGS_MANAGE,
    body=OnboardingMarkIn,
    response=OnboardingOut,
    summary="Mark a step done or take the mark back (tickets_arrive, review_routing, review_sla only)",
)
def mark_step(call: Call[OnboardingMarkIn, Any]) -> OnboardingOut:
    from chalicelib.services import onboarding

    return onboarding.mark_step(call.principal, call.path["step"], call.body.done)


@router.route(
    "/onboarding/dismissed",
    "PUT",
    access=Permission.SETTINGS_MANAGE,
    body=OnboardingDismissIn,
    response=OnboardingOut,
    summary="Hide the checklist for the workspace, or bring it back",
)
def set_dismissed(call: Call[OnboardingDismissIn, Any]) -> OnboardingOut:
    from chalicelib.services import onboarding

    return onboarding.set_dismissed(call.principal, call.body.dismissed)


@router.route(
    "/onboarding/sample-tickets",
    "POST",
    access=Permission.SETTINGS_MANAGE,
    body=SampleTicketsIn,
    response=OnboardingOut,
    status=201,
    summary="Add a handful of realistic sample tickets, tagged 'sample' (409 while earlier ones remain)",
)
def add_samples(call: Call[SampleTicketsIn, Any]) -> OnboardingOut:
    from chalicelib.services import onboarding

    return onboarding.add_sample_tickets(call.principal, call.body.count)


@router.route(
    "/onboarding/sample-tickets",
    "DELETE",
    access=Permission.SETTINGS_MANAGE,
    response=OnboardingOut,
    summary="Remove the sample tickets: each is solved and closed (never deleted), so it leaves every working view",
)
def remove_samples(call: Call[Any, Any]) -> OnboardingOut:
    from chalicelib.services import onboarding

    return onboarding.remove_sample_tickets(call.principal)
