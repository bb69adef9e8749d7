"""Every answer is its route's declared response model (the model the OpenAPI document publishes).

The ``response_contract`` fixture (conftest.py) checks the answers of every API test; these tests pin
that every route declares a model, and that an answer which drifts from it never leaves.
"""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import ResponseContractError, all_specs, serialised
from chalicelib.contracts.responses import (
    ApiKeyOut,
    CommentOut,
    SlackConnectionOut,
    TicketOut,
    TicketWithConversationOut,
    UserOut,
)
from tests.api.client import ApiClient, Workspace
from tests.api.response_contract import ResponseContract

# Answers that are not one of ours: the OpenAPI document itself, and what Slack's interactivity reads.
NOT_MODELLED = {("GET", "/openapi.json"), ("POST", "/integrations/slack/interactions")}
REQUESTER = {"email": "maya@example.com", "name": "Maya"}


def test_every_route_that_answers_a_body_declares_its_model() -> None:
    undeclared = [
        f"{spec.method} {spec.path}"
        for spec in all_specs(ROUTERS)
        if spec.status != 204 and spec.response is None and (spec.method, spec.path) not in NOT_MODELLED
    ]
    assert not undeclared, f"routes without a response model: {undeclared}"


def new_ticket(api: ApiClient, workspace: Workspace) -> dict[str, Any]:
    reply = api.post(
        "/tickets", {"subject": "Printer", "description": "On fire.", "requester": REQUESTER}, workspace.token("agent")
    )
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_a_ticket_answers_every_field_of_its_model_with_nulls_written_out(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a new ticket (no first response, not solved)
    ticket = new_ticket(api, workspace)

    # WHEN it is read with its conversation
    reply = api.get(f"/tickets/{ticket['id']}", workspace.token("agent"))

    # THEN the answer validates as the declared model, every field is present (None as null),
    # instants are text and the version a number
    assert reply.status == 200
    TicketWithConversationOut.model_validate(reply.body)
    answered = reply.body["ticket"]
    assert list(answered) == list(TicketOut.model_fields)
    assert answered["first_response_at"] is None and answered["solved_at"] is None
    assert isinstance(answered["created_at"], str) and answered["version"] == 1


def drifted_get_ticket(drift: str) -> Any:
    from chalicelib.services import ticket_reads

    real = ticket_reads.get_ticket

    def get_ticket(principal: Any, ticket_id: str) -> dict[str, Any]:
        found = real(principal, ticket_id)
        ticket = found["ticket"].model_dump(mode="json")
        if drift == "an undeclared field":
            ticket["internal_score"] = 3
        elif drift == "a field missing":
            del ticket["sla_due_at"]
        else:  # a field of the wrong type
            ticket["version"] = str(ticket["version"])
        return {**found, "ticket": ticket}

    return get_ticket


@pytest.mark.parametrize("drift", ["an undeclared field", "a field missing", "a field of the wrong type"])
def test_an_answer_that_drifts_from_its_model_never_leaves(
    api: ApiClient,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    response_contract: ResponseContract,
    drift: str,
) -> None:
    # GIVEN the service behind GET /tickets/{id} answers a ticket with a drift
    from chalicelib.services import ticket_reads

    ticket = new_ticket(api, workspace)
    monkeypatch.setattr(ticket_reads, "get_ticket", drifted_get_ticket(drift))

    # WHEN the ticket is read
    reply = api.get(f"/tickets/{ticket['id']}", workspace.token("agent"))

    # THEN the caller gets an internal error, not the drifted shape, and the suite's check names it
    assert reply.status == 500 and reply.body["status"] == 500
    assert len(response_contract.violations) == 1
    assert response_contract.violations[0].startswith("TicketWithConversationOut:")
    response_contract.violations.clear()  # provoked on purpose


def test_a_presenter_that_passes_a_wrong_type_fails_where_it_builds_the_answer(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the presenters would pass instants through unconverted (not text)
    from chalicelib.services import presenters

    ticket = new_ticket(api, workspace)
    monkeypatch.setattr(presenters, "to_text", lambda value: value)

    # WHEN the ticket is read THEN the model refuses to be built: an internal error, nothing leaks
    reply = api.get(f"/tickets/{ticket['id']}", workspace.token("agent"))
    assert reply.status == 500


def test_serialising_writes_the_keys_that_were_set_and_refuses_another_model() -> None:
    # a key left out stays out (an unconnected Slack answers one key); a None given is written as null
    assert serialised({"connected": False}, SlackConnectionOut) == {"connected": False}
    comment = {"id": "c", "ticket_id": "t", "body": None, "public": False, "author": {}, "created_at": "x"}
    assert serialised(comment, CommentOut) == comment
    # a model answers as its JSON form
    key = ApiKeyOut(
        id="k", name="n", scopes=["tickets.read"], prefix="p", created_by="u", created_at="x", last_used_at=None
    )
    assert serialised(key, ApiKeyOut) == {**key.model_dump(), "last_used_at": None}
    with pytest.raises(ResponseContractError, match="declared UserOut"):
        serialised(key, UserOut)
    with pytest.raises(ResponseContractError, match="not a UserOut"):
        serialised({"id": "u"}, UserOut)
