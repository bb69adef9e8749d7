"""Contacts: a record per requester address, kept from the stream whatever channel the ticket came by."""

from __future__ import annotations

from tests.api.client import ApiClient, Workspace
from tests.api.dynamo_calls import dynamo_calls
from tests.api.portal_support import ticket_for
from tests.api.streams import StreamPump


def test_a_new_ticket_makes_its_requester_a_contact_counted_once(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN two tickets by one requester at a company and one by a free-mail address
    first = ticket_for(api, workspace, "Ann@Acme.example")
    ticket_for(api, workspace, "ann@acme.example", subject="Second")
    ticket_for(api, workspace, "bob@gmail.com")

    # WHEN the stream is delivered twice over (a redelivery counts nothing more)
    pump.pump(("workflows",))
    from chalicelib.data.tickets import get_ticket
    from chalicelib.services.contacts import record_new_ticket

    item = get_ticket(workspace.tenant_id, first["id"])
    assert item is not None
    record_new_ticket(item)

    # THEN the list holds both people, with the organisation from a company domain only
    listed = api.get("/contacts", workspace.token("agent"))
    assert listed.status == 200, listed.body
    by_email = {c["email"]: c for c in listed.body["items"]}
    assert set(by_email) == {"ann@acme.example", "bob@gmail.com"}
    assert by_email["ann@acme.example"]["ticket_count"] == 2
    assert by_email["ann@acme.example"]["organisation"] == "acme.example"
    assert by_email["ann@acme.example"]["name"] == "Rita Requester"
    assert by_email["bob@gmail.com"]["organisation"] is None


def test_contacts_are_searched_by_address_or_name_prefix_and_paged(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    for address in ("carla@one.example", "carl@two.example", "dora@three.example"):
        ticket_for(api, workspace, address)
    pump.pump(("workflows",))
    token = workspace.token("viewer")

    by_address = api.get("/contacts?q=carl", token)
    assert by_address.status == 200
    # "carl" holds no @: a name prefix; every contact here is named Rita
    assert by_address.body["items"] == []
    assert {c["email"] for c in api.get("/contacts?q=carl@", token).body["items"]} == {"carl@two.example"}
    assert len(api.get("/contacts?q=rita", token).body["items"]) == 3

    first = api.get("/contacts?limit=2", token).body
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.get(f"/contacts?limit=2&cursor={first['next_cursor']}", token).body
    assert [c["email"] for c in first["items"] + rest["items"]] == sorted(
        ["carla@one.example", "carl@two.example", "dora@three.example"]
    )


def test_a_contact_comes_with_their_tickets_in_one_query(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    ticket_for(api, workspace, "eve@acme.example", subject="First")
    ticket_for(api, workspace, "eve@acme.example", subject="Second")
    ticket_for(api, workspace, "someone.else@acme.example")
    pump.pump(("workflows",))
    contact = api.get("/contacts?q=eve@", workspace.token("agent")).body["items"][0]

    with dynamo_calls() as calls:
        detail = api.get(f"/contacts/{contact['id']}", workspace.token("agent"))

    assert detail.status == 200, detail.body
    assert detail.body["contact"]["email"] == "eve@acme.example"
    assert [t["subject"] for t in detail.body["tickets"]] == ["Second", "First"]
    # THEN one GetItem of the contact, one Query of the requester index, and nothing else
    assert sorted(calls) == [("GetItem", None), ("Query", "by_requester")]


def test_an_unknown_contact_is_404_and_another_workspaces_contact_is_unknown(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    ticket_for(api, workspace, "fay@acme.example")
    pump.pump(("workflows",))
    contact = api.get("/contacts?q=fay@", workspace.token("agent")).body["items"][0]

    assert api.get("/contacts/" + "0" * 32, workspace.token("agent")).status == 404
    assert api.get(f"/contacts/{contact['id']}", other_workspace.token("admin")).status == 404
    assert api.get("/contacts?q=fay@", other_workspace.token("admin")).body["items"] == []


def test_a_bad_query_is_422_naming_the_field(api: ApiClient, workspace: Workspace) -> None:
    reply = api.get("/contacts?limit=0", workspace.token("agent"))
    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == "limit"
    assert api.get("/contacts?cursor=nonsense", workspace.token("agent")).status == 422
