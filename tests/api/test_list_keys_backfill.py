"""Tickets written before the composite list keys existed: lists stay correct on the single-field
indexes until the workspace's backfill is done, the backfill is idempotent and resumable, leaves a
ticket that changed meanwhile to its writer, and gives the stream's consumers no new change."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.data import keys
from chalicelib.data.models import MainItem, RegistryEntry, TicketItem
from chalicelib.data.ticket_changes import LIST_KEYS, set_list_keys
from tests.api.client import ApiClient, Workspace
from tests.api.dynamo_calls import dynamo_calls


def new_ticket(api: ApiClient, workspace: Workspace, priority: str) -> dict[str, Any]:
    body = {"subject": "Old", "description": "from before", "requester": {"email": "r@example.com"}}
    reply = api.post("/tickets", {**body, "priority": priority}, workspace.token("lead"))
    assert reply.status == 201, reply.body
    return dict(reply.body)


def as_before_the_keys(workspace: Workspace, tickets: list[dict[str, Any]]) -> RegistryEntry:
    """The workspace and its tickets as they were before the composite keys: none on the tickets,
    and a registry entry that does not say ready."""
    connection = MainItem._get_connection()
    for ticket in tickets:
        actions = [getattr(TicketItem, name).remove() for name in LIST_KEYS]
        connection.update_item(keys.ticket(workspace.tenant_id, ticket["id"]), keys.TICKET_SK, actions=actions)
    entry = RegistryEntry.get(*keys.registry_entry(workspace.tenant_id))
    entry.update(actions=[RegistryEntry.list_keys_ready.remove(), RegistryEntry.list_keys_after.remove()])
    return entry


def listed(api: ApiClient, workspace: Workspace, params: dict[str, Any]) -> tuple[list[str], set[str | None]]:
    with dynamo_calls() as calls:
        reply = api.get("/tickets?" + urlencode(params, doseq=True), workspace.token("lead"))
    assert reply.status == 200, reply.body
    return [t["id"] for t in reply.body["items"]], {index for op, index in calls if op == "Query"}


def stored(workspace: Workspace, ticket_id: str) -> TicketItem:
    return TicketItem.get(keys.ticket(workspace.tenant_id, ticket_id), keys.TICKET_SK, consistent_read=True)


def test_lists_use_the_old_indexes_until_the_backfill_is_done_then_the_composite_ones(
    api: ApiClient, workspace: Workspace
) -> None:
    from chalicelib.services.list_keys_backfill import backfill_list_keys

    tickets = [new_ticket(api, workspace, p) for p in ("urgent", "low", "urgent", "normal", "urgent")]
    entry = as_before_the_keys(workspace, tickets)
    expected = [t["id"] for t in reversed(tickets) if t["priority"] == "urgent"]
    query = {"status": ["new", "open"], "priority": ["urgent"]}

    ids, indexes = listed(api, workspace, query)
    assert (ids, indexes) == (expected, {"by_status"})  # correct meanwhile: status partitions, priority filtered

    looked_at = [backfill_list_keys(entry, budget=2) for _ in range(3)]
    assert looked_at == [2, 2, 1] and entry.list_keys_ready
    for ticket in tickets:
        item = stored(workspace, ticket["id"])
        assert item.status_priority_pk == keys.ticket_partition(
            workspace.tenant_id, "status_priority", f"new#{ticket['priority']}"
        )
        assert int(item.version) == 1 and item.last_change is None  # no new change for the stream's consumers

    ids, indexes = listed(api, workspace, query)
    assert (ids, indexes) == (expected, {"by_status_priority"})

    assert backfill_list_keys(entry, budget=2) == 0  # again: nothing left, still ready
    assert entry.list_keys_ready


def test_a_ticket_changed_since_it_was_read_is_left_to_its_writer(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace, "high")
    as_before_the_keys(workspace, [ticket])
    read = stored(workspace, ticket["id"])
    reply = api.patch(
        f"/tickets/{ticket['id']}", {"status": "open"}, workspace.token("lead"), headers={"if-match": "1"}
    )
    assert reply.status == 200, reply.body
    assert set_list_keys(workspace.tenant_id, read) is False
    now = stored(workspace, ticket["id"])  # its writer set the keys of what it is now
    assert now.status_priority_pk == keys.ticket_partition(workspace.tenant_id, "status_priority", "open#high")
    assert now.last_change is not None


def test_housekeeping_backfills_the_workspaces_not_ready(api: ApiClient, workspace: Workspace) -> None:
    from chalicelib.services.list_keys_backfill import backfill_everywhere

    ticket = new_ticket(api, workspace, "low")
    as_before_the_keys(workspace, [ticket])
    backfill_everywhere()
    entry = RegistryEntry.get(*keys.registry_entry(workspace.tenant_id))
    assert entry.list_keys_ready
    assert stored(workspace, ticket["id"]).assignee_status_pk is not None


class _Harness(Model):
    class Meta:
        table_name = "list-keys-harness"
        billing_mode = "PAY_PER_REQUEST"

    class ByA(GlobalSecondaryIndex[Any]):
        class Meta:
            index_name = "by_a"
            projection = AllProjection()

        a = UnicodeAttribute(hash_key=True)

    pk = UnicodeAttribute(hash_key=True)
    a = UnicodeAttribute(null=True)
    b = UnicodeAttribute(null=True)
    by_a = ByA()


class _HarnessLater(_Harness):
    """The same table once its model gained an index."""

    class ByB(GlobalSecondaryIndex[Any]):
        class Meta:
            index_name = "by_b"
            projection = AllProjection()

        b = UnicodeAttribute(hash_key=True)

    by_b = ByB()


def test_local_tables_gain_the_indexes_their_models_gained(aws: None) -> None:
    from infra.local.tables import ensure_table

    ensure_table(_Harness)
    _HarnessLater(pk="1", a="x", b="y").save()
    ensure_table(_HarnessLater)
    ensure_table(_HarnessLater)  # again: nothing to add
    table = _Harness._get_connection().describe_table()
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {"by_a", "by_b"}
    assert [item.pk for item in _HarnessLater.by_b.query("y")] == ["1"]


def test_a_list_paged_across_the_switch_to_the_composite_keys_skips_and_repeats_nothing(
    api: ApiClient, workspace: Workspace
) -> None:
    """GIVEN a list's first page read on the single-field plan WHEN the backfill completes before the
    next page THEN the cursor (of the other plan) resumes after the last ticket returned."""
    from chalicelib.services.list_keys_backfill import backfill_list_keys

    tickets = [new_ticket(api, workspace, p) for p in ("urgent", "high", "urgent", "urgent", "low", "urgent")]
    entry = as_before_the_keys(workspace, tickets)
    query = {"status": ["new", "open"], "priority": ["urgent", "high"], "limit": 2}
    first = api.get("/tickets?" + urlencode(query, doseq=True), workspace.token("lead")).body
    while not entry.list_keys_ready:
        backfill_list_keys(entry)
    ids, cursor = [t["id"] for t in first["items"]], first["next_cursor"]
    while cursor:
        page = api.get("/tickets?" + urlencode({**query, "cursor": cursor}, doseq=True), workspace.token("lead")).body
        ids += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
    assert ids == [t["id"] for t in reversed(tickets) if t["priority"] in ("urgent", "high")]
