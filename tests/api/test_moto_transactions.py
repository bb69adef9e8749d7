"""The moto speed-up must keep transactions all-or-nothing, or the API tests would lie."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.data.models import CounterItem, MainItem
from chalicelib.data.store import _connection
from tests.api.client import ApiClient, new_workspace


def counter(value: int) -> CounterItem:
    return CounterItem(f"T#moto-{uuid.uuid4().hex}", "COUNTER#x", tenant_id="moto", value=value)


def exists(item: CounterItem) -> bool:
    try:
        MainItem.get(item.pk, item.sk)
    except MainItem.DoesNotExist:
        return False
    return True


def test_a_cancelled_transaction_writes_nothing(aws: None) -> None:
    # GIVEN an existing item, and a transaction that adds one item, changes the existing one,
    # and then fails a condition
    existing = counter(1)
    existing.save()
    added, blocker = counter(2), counter(3)
    blocker.save()

    # WHEN it runs
    with pytest.raises(TransactWriteError), TransactWrite(connection=_connection()) as tx:
        tx.save(added)
        tx.update(existing, actions=[CounterItem.value.set(99)])
        tx.save(counter(4), condition=CounterItem.pk.exists())  # fails: that item does not exist

    # THEN no change of it is visible
    assert not exists(added)
    assert CounterItem.get(existing.pk, existing.sk).value == 1
    assert exists(blocker)


def test_a_committed_transaction_writes_everything(aws: None) -> None:
    first, second = counter(1), counter(2)

    with TransactWrite(connection=_connection()) as tx:
        tx.save(first)
        tx.save(second, condition=CounterItem.pk.does_not_exist())

    assert exists(first) and exists(second)


def test_a_cancelled_transaction_leaves_no_stream_records(aws: None) -> None:
    from moto.backends import get_backend

    from chalicelib.settings import physical_table_name

    table = get_backend("dynamodb")["123456789012"]["us-east-1"].tables[physical_table_name("main")]
    assert table.stream_shard is not None
    before = len(table.stream_shard.items)

    with pytest.raises(TransactWriteError), TransactWrite(connection=_connection()) as tx:
        tx.save(counter(1))
        tx.save(counter(2), condition=CounterItem.pk.exists())

    assert len(table.stream_shard.items) == before


def test_patched_queries_answer_exactly_like_moto(api: ApiClient) -> None:
    # GIVEN a workspace, a ticket-ish item on an index, and moto's own (slow) query kept aside
    from moto.backends import get_backend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    from chalicelib.data import keys
    from chalicelib.settings import physical_table_name

    workspace = new_workspace(api)
    for subject in ("First", "Second", "Third"):
        ticket = {"subject": subject, "description": "x", "requester": {"email": "c@example.com"}}
        assert api.post("/tickets", ticket, workspace.token("admin")).status == 201
    table = get_backend("dynamodb")["123456789012"]["us-east-1"].tables[physical_table_name("main")]
    slow = Table.query.__wrapped__  # type: ignore[attr-defined]
    users = DynamoType({"S": keys.users(workspace.tenant_id)})

    def both(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        fast_items, _, fast_last = table.query(*args, **kwargs)
        slow_items, _, slow_last = slow(table, *args, **kwargs)
        return ([i.to_json() for i in fast_items], fast_last), ([i.to_json() for i in slow_items], slow_last)

    # WHEN the same queries run both ways THEN they answer the same
    for forward in (True, False):
        fast, slow_answer = both(users, None, [], 2, None, forward, None)
        assert fast == slow_answer and len(fast[0]) == 2
        fast, slow_answer = both(users, None, [], 10, fast[1], forward, None)
        assert fast == slow_answer and fast[0]
    tenant = DynamoType({"S": keys.ticket_partition(workspace.tenant_id, "tenant", "")})
    fast, slow_answer = both(
        None, None, [], 2, None, False, None, "by_updated", hash_key_conditions=[("tenant_pk", tenant)]
    )
    assert fast == slow_answer and len(fast[0]) == 2
