"""The workflows consumer writes what a stream batch derives (search postings, tag counts, contacts)
together, once the batch is handled: few calls per batch rather than several per record, with the same
result as record by record, and a batch delivered again changes nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.api.client import ApiClient, Workspace
from tests.api.dynamo_calls import dynamo_calls
from tests.api.streams import StreamPump

REQUESTERS = ("ann@acme.example", "bob@gmail.com", "cy@acme.example")


def _tickets(api: ApiClient, workspace: Workspace, count: int) -> list[dict[str, Any]]:
    made = []
    for n in range(count):
        body = {
            "subject": f"Refund for invoice {n}",
            "description": "The export crashed twice",
            "requester": {"email": REQUESTERS[n % len(REQUESTERS)], "name": ""},
            "tags": ["vip", "refund"] if n % 2 else ["vip"],
        }
        reply = api.post("/tickets", body, workspace.token("agent"))
        assert reply.status == 201, reply.body
        made.append(reply.body)
    return made


def _if(ticket: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": str(ticket["version"])}


def _workflows(api: ApiClient, records: list[dict[str, Any]]) -> None:
    response = api.chalice.lambda_.invoke("workflows", {"Records": records})
    assert not (response.payload or {}).get("batchItemFailures"), response.payload


def _state(workspace: Workspace, api: ApiClient) -> tuple[dict[str, int], dict[str, int], int]:
    token = workspace.token("agent")
    contacts = {c["email"]: c["ticket_count"] for c in api.get("/contacts", token).body["items"]}
    tags = {t["tag"]: t["tickets"] for t in api.get("/tags", token).body["items"]}
    found = api.get("/tickets?q=refund&limit=100", token).body["items"]
    return contacts, tags, len(found)


def test_a_batch_of_new_tickets_is_indexed_and_counted_with_few_writes_and_counted_once_when_redelivered(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN 30 new tickets by three requesters, their stream records (ticket, history, audit...) in one batch,
    # in a workspace that leaves them to its leads (automatic assignment is its own work per ticket)
    routing = api.get("/settings/routing", workspace.token("admin")).body
    assert (
        api.put("/settings/routing", {**routing, "auto_assign_default": False}, workspace.token("admin")).status == 200
    )
    pump.pump(("workflows",))
    _tickets(api, workspace, 30)
    records = pump.read()

    # WHEN the workflows consumer handles the batch
    with dynamo_calls() as calls:
        _workflows(api, records)

    # THEN every requester counts their tickets, every tag its tickets, and search finds all 30
    assert _state(workspace, api) == ({e: 10 for e in REQUESTERS}, {"vip": 30, "refund": 15}, 30)
    # AND the derived items took a transaction per new contact, one for every contact's count and one
    # for the tags, one read of the contacts and of the routing settings, and batched postings: not a
    # few calls per ticket
    made = Counter(operation for operation, _ in calls)
    assert made["TransactWriteItems"] == len(REQUESTERS) + 2, made
    assert made["BatchWriteItem"] <= 30, made
    assert made["BatchGetItem"] == 1, made
    assert made["PutItem"] == 0 and made["UpdateItem"] == 0, made
    # creating a contact reads it first; then the routing settings and the workspace's Slack set-up
    assert made["GetItem"] == len(REQUESTERS) + 2, made

    # WHEN the same batch is delivered again (Lambda's at-least-once delivery)
    _workflows(api, records)
    # THEN nothing is counted twice
    assert _state(workspace, api) == ({e: 10 for e in REQUESTERS}, {"vip": 30, "refund": 15}, 30)


def test_a_ticket_changed_twice_in_one_batch_is_counted_as_its_last_change_left_it(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a ticket counted
    token = workspace.token("agent")
    [ticket] = _tickets(api, workspace, 1)
    pump.pump(("workflows",))
    # AND two changes of its tags whose records come in one batch: a tag comes and goes
    path = f"/tickets/{ticket['id']}"
    first = api.patch(path, {"tags": ["vip", "parcel"]}, token, headers=_if(ticket))
    assert first.status == 200, first.body
    second = api.patch(path, {"tags": ["vip"]}, token, headers=_if(first.body))
    assert second.status == 200, second.body

    # WHEN the batch is handled, and handled again
    records = pump.read()
    _workflows(api, records)
    _workflows(api, records)

    # THEN the counts say what the ticket carries now
    tags = {t["tag"]: t["tickets"] for t in api.get("/tags", token).body["items"]}
    assert tags == {"vip": 1}


def test_postings_gathered_for_one_ticket_end_as_its_last_change_left_them(workspace: Workspace) -> None:
    from chalicelib.data import keys
    from chalicelib.data.models import SearchTermItem
    from chalicelib.data.search import SearchWrites, search_index
    from chalicelib.domain.search_text import Source

    tenant = workspace.tenant_id
    # GIVEN one batch's two changes of a ticket's words: "lost" comes and goes, "parcel" changes weight
    writes = SearchWrites()
    first = {"parcel": 3, "lost": 3}
    writes.update_ticket_terms(tenant, "t1", 7, {}, first)
    writes.update_ticket_terms(tenant, "t1", 7, first, {"parcel": 1, "found": 3})
    # WHEN they are written together
    writes.flush()

    # THEN the index holds the ticket's last words, at their last weights
    def hits(word: str) -> dict[str, int]:
        found = search_index.matches(tenant, word, frozenset({Source.TICKET}))
        return {ticket: hit.weight for ticket, hit in found.hits.items()}

    def ranked(word: str) -> list[int]:
        return [int(p.weight) for p in SearchTermItem.query(keys.ranked_search_word(tenant, word, notes=False))]

    assert hits("found") == {"t1": 3} and ranked("found") == [3]
    assert hits("parcel") == {"t1": 1} and ranked("parcel") == [1]  # the old rank's posting is gone
    assert hits("lost") == {} and ranked("lost") == []
