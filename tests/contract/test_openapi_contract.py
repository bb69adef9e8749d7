"""Schemathesis over the served OpenAPI (``/api/v1/openapi.json``): for an admin, an agent and a
viewer of one workspace, every operation is called with generated requests, valid and invalid, and
each answer must be what the document promises — no 5xx, documented status codes and content
types, bodies matching their schemas, invalid input refused, valid input accepted.

Bounded and repeatable: a fixed number of examples per operation, derandomized generation, no
wall-clock assertion. A failure prints the request to replay it (schemathesis' ``curl`` line).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chalicelib.api.openapi import build_document
from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import all_specs
from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team

# schemathesis' generators draw from ``random`` inside strategies (harmless here: derandomized runs)
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")

ROLES = ("admin", "agent", "viewer")
# x 3 roles x ~45 operations: a few minutes on two cores. A deeper search, by hand:
# PULSEDESK_CONTRACT_EXAMPLES=200 make contract
EXAMPLES_PER_OPERATION = int(os.environ.get("PULSEDESK_CONTRACT_EXAMPLES", "12"))

# Operations a fuzzer must not run as the caller, because they end the very session it fuzzes with.
# (Operations on one object are safe: generated ids never name the caller, nor anything that exists.)
NOT_FUZZED = {
    "POST /api/v1/auth/logout",  # would revoke the token the rest of the run signs in with
    "POST /api/v1/me/sessions/sign-out-everywhere",  # the same, for every session of the caller
}
# Operations whose valid-by-schema input can still be refused (422) by rules a JSON Schema cannot
# state; every other check still runs on them (no 5xx, documented answers, invalid input refused).
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/auth/signup": "password strength, reserved workspace slugs, reserved email domains",
    "POST /api/v1/users": "password strength; email-validator refuses reserved domains (.test, .invalid...)",
    "PATCH /api/v1/users/{id}": "email-validator refuses reserved domains (.test, .invalid...), before the 404",
    "POST /api/v1/webhooks": "the URL must resolve to a public https address",
    "PATCH /api/v1/webhooks/{id}": "the URL must be a valid https URL, checked before the 404",
    "PUT /api/v1/integrations/slack": "each mode needs its own credentials",
    "PATCH /api/v1/tickets/{id}": "a version (If-Match or `version`) and the ticket lifecycle",
    "POST /api/v1/tickets": "the assignee must be an active member",
    "POST /api/v1/views": "a filter is validated as a whole (ranges ordered, sort compatible)",
    "PATCH /api/v1/views/{id}": "a filter is validated as a whole (ranges ordered, sort compatible)",
    "GET /api/v1/tickets": "a filter is validated as a whole (ranges ordered, sort compatible)",
    "GET /api/v1/metrics": "a period is at most a year, `from` not after `to`, one filter at a time",
    "GET /api/v1/metrics/tickets": "a period is at most a year and `from` not after `to`",
    "POST /api/v1/api-keys": "a key's scopes may not exceed its creator's permissions",
    "POST /api/v1/integrations/slack/interactions": "Slack's payload is JSON inside a form field",
    "POST /api/v1/auth/signup/confirm": "the token must be one an email sent (any other is a 422 naming it)",
    "POST /api/v1/auth/password-reset/confirm": "the token must be one an email sent, and the password strong",
    "PUT /api/v1/settings/business-hours": "a known time zone and country; spans and closings neither overlap nor "
    "leave the week empty",
    "POST /api/v1/sla-policies": "each priority given sets at least one target",
    "POST /api/v1/invitations": "reserved email domains; the outbound gate; no role above the inviter's",
    "POST /api/v1/auth/invitations/accept": "the token must be one an email sent, and the password strong",
    "POST /api/v1/me/password": "the current password must be right, and the new one strong",
    "POST /api/v1/tickets/{id}/uploads": "the type must be one replies may carry, and the size within the limit",
    "POST /api/v1/tickets/{id}/comments": "cc only on public replies, never the requester; uploads must exist",
    "PUT /api/v1/sla-policies": "the ids name every policy of the workspace, once each",
    "GET /api/v1/audit": "a period is ordered (`before` later than `after`)",
    "DELETE /api/v1/settings/email/suppressions/{address}": "the path must be an email address",
    "POST /api/v1/macros": "a macro needs at least one action or a reply; templates use known placeholders",
    "POST /api/v1/tickets/{id}/macros/{macro_id}": "a version (If-Match or `version`)",
    "POST /api/v1/rules": "a time rule needs an hours-since condition; actions reach a status the conditions allow",
    "PUT /api/v1/rules/order": "the ids name every rule of the workspace, once each",
    "PATCH /api/v1/rules/{id}": "the rule is validated as a whole (only an 'updated' trigger names a field...)",
    "POST /api/v1/rules/{id}/test": "the ticket by `ticket_id` or `number`: one of them",
    "GET /api/v1/articles/deflection": "`since` and `until` are real calendar dates",
    "GET /api/v1/csat/{token}": "the token must be a survey link an email sent (signed); any other is a 400",
    "POST /api/v1/csat/{token}": "the token must be a survey link an email sent (signed); any other is a 400",
    "POST /api/v1/tickets/bulk": "each ticket once, at least one change, tags either replaced or added/removed "
    "(never both), no tag both added and removed",
    "POST /api/v1/portal/{slug}/sign-in": "email-validator refuses reserved domains (.test, .invalid...)",
    "POST /api/v1/queues": "members must be active agents of the workspace",
    "PATCH /api/v1/queues/{name}": "members must be active agents of the workspace",
    "PUT /api/v1/onboarding/steps/{step}": "only the steps an admin may mark (tickets_arrive, review_routing, "
    "review_sla); the others are ticked from the workspace's state",
    "POST /api/v1/onboarding/sample-tickets": "one set of sample tickets at a time: 409 until they are removed",
    "POST /api/v1/integrations/slack/oauth/start": "409 while the deployment has no Slack app (client id unset)",
    "POST /api/v1/integrations/slack/oauth/callback": "the state must be one this sign-in started, unexpired and "
    "unused (signed), and the code one Slack issued",
}


OPERATIONS = [
    (method.upper(), path)
    for path, operations in build_document(all_specs(ROUTERS))["paths"].items()
    for method in operations
    if f"{method.upper()} {path}" not in NOT_FUZZED
]


def _without_cursor(case: schemathesis.Case) -> schemathesis.Case:
    """A cursor is opaque and sealed by the server: no generator can make one the server minted, so
    valid cases page from the start (invalid cases keep what they generated, and must be refused)."""
    if case.query:
        case.query.pop("cursor", None)
    return case


@pytest.fixture(scope="module")
def team(local_stack: LocalStack) -> Team:
    return new_team(Http.for_stack(local_stack), roles=("agent", "viewer"))


@pytest.fixture(scope="module")
def served_schema(local_stack: LocalStack) -> Any:
    return schemathesis.openapi.from_url(f"{local_stack.base_url}/api/v1/openapi.json")


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        yield opened


def test_the_served_document_is_the_one_the_routes_declare(local_stack: LocalStack) -> None:
    served = requests.get(f"{local_stack.base_url}/api/v1/openapi.json", timeout=10).json()

    assert served == build_document(all_specs(ROUTERS))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_does_what_its_openapi_says(
    served_schema: Any, team: Team, session: requests.Session, method: str, path: str, role: str
) -> None:
    operation = served_schema[path][method]
    label = f"{method} {path}"
    excluded = [positive_data_acceptance] if label in RULES_BEYOND_THE_SCHEMA else []
    headers = {"Authorization": f"Bearer {team.tokens[role]}"}
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE).map(_without_cursor),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,  # the same cases on every run
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing request is printed as is
    )
    def calls(case: schemathesis.Case) -> None:
        case.call_and_validate(session=session, headers=headers, excluded_checks=excluded)

    calls()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_boundary_case_gets_the_documented_answer(
    served_schema: Any, team: Team, session: requests.Session, method: str, path: str, role: str
) -> None:
    """Schemathesis' coverage phase: each field at and past its limits (lengths, ranges, enums, nulls,
    types, missing required parts, undocumented methods), a fixed list per operation."""
    operation = served_schema[path][method]
    excluded = [positive_data_acceptance] if f"{method} {path}" in RULES_BEYOND_THE_SCHEMA else []
    headers = {"Authorization": f"Bearer {team.tokens[role]}"}
    cases = served_schema.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=served_schema.config.generation_for(operation=operation),
    )
    failures = []
    for case in cases:
        if case.meta is not None and case.meta.generation.mode.is_positive:
            _without_cursor(case)
        try:
            case.call_and_validate(session=session, headers=headers, excluded_checks=excluded)
        except AssertionError as failure:  # schemathesis' failure groups are AssertionErrors
            failures.append(failure)
    assert not failures, "\n\n".join(str(f) for f in failures[:5])
