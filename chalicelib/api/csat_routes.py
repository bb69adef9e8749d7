"""Satisfaction surveys: the public survey link's page data and answer, and the admins' switch."""

from __future__ import annotations

from typing import Any

from chalicelib.api.help_schemas import CsatSettingsIn, RatingIn
from chalicelib.api.routing import Call, Router
from chalicelib.contracts.help_center import CsatSettingsOut, SurveyOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="csat")


@router.route(
    "/csat/{token}", "GET", access="public", response=SurveyOut, summary="What a survey link is about, and its answer"
)
def get_survey(call: Call[Any, Any]) -> SurveyOut:
    from chalicelib.services import csat

    return csat.survey(call.path["token"])


@router.route(
    "/csat/{token}",
    "POST",
    access="public",
    body=RatingIn,
    response=SurveyOut,
    summary="Rate the solved request (good or bad, a comment if you like); the last answer counts",
)
def rate_ticket(call: Call[RatingIn, Any]) -> SurveyOut:
    from chalicelib.services import csat

    return csat.answer(call.path["token"], call.body.rating, call.body.comment)


@router.route(
    "/settings/csat",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    response=CsatSettingsOut,
    summary="Whether solved tickets ask for a rating",
)
def get_csat_settings(call: Call[Any, Any]) -> CsatSettingsOut:
    from chalicelib.services import csat

    return csat.get_settings_of(call.principal)


@router.route(
    "/settings/csat",
    "PUT",
    access=Permission.SETTINGS_MANAGE,
    body=CsatSettingsIn,
    response=CsatSettingsOut,
    summary="Turn satisfaction surveys on or off",
)
def put_csat_settings(call: Call[CsatSettingsIn, Any]) -> CsatSettingsOut:
    from chalicelib.services import csat

    return csat.set_surveys_enabled(call.principal, call.body.surveys_enabled)
