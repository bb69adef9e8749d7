"""Helpers for the items-read tests: a workspace seeded with many tickets straight through the data
layer's item builder (the one place index keys are computed), and a counter of the items DynamoDB
read for ticket lists (each Query answer's ScannedCount), independent of the code under test."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest import mock

from botocore.client import BaseClient

from chalicelib.data import keys
from chalicelib.data.models import TICKET_INDEXES, MainItem, TicketItem
from chalicelib.data.ticket_changes import index_keys
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.tickets import STATUSES

_original = BaseClient._make_api_call

# A desk of a few months: most tickets done, a fifth open, few urgent, a few agents.
STATUS_WEIGHTS = {"new": 4, "open": 18, "pending": 8, "on_hold": 3, "solved": 27, "closed": 40}
PRIORITY_WEIGHTS = {"urgent": 4, "high": 14, "normal": 62, "low": 20}
QUEUES = ("support", "billing", "sales", "tech")
TAGS = ("vip", "bug", "refund", "feature", "spam")


@contextmanager
def items_read() -> Iterator[list[int]]:
    """``counted[0]``: items the ticket-list Queries read (ScannedCount) inside the block."""
    counted = [0]

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = _original(self, operation, params)
        if operation == "Query" and params.get("IndexName") in TICKET_INDEXES:
            counted[0] += int(answer.get("ScannedCount", 0))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield counted


def _stream_records() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(MainItem.Meta.table_name)
    return table.stream_shard.items  # type: ignore[no-any-return]


def seed_tickets(tenant_id: str, agents: list[str], count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` tickets (``write_tickets``) in moto; the stream records of the seeding are dropped:
    no other test's stream pump delivers them."""
    records = _stream_records()
    mark = len(records)
    seeded = write_tickets(tenant_id, agents, count, seed)
    del records[mark:]
    return seeded


def write_tickets(tenant_id: str, agents: list[str], count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` tickets written with batch writes (a transaction each is slow to seed), their index
    keys set by ``index_keys``; returns each in the API's form for the brute-force reference."""
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=120)
    seeded: list[dict[str, Any]] = []
    with TicketItem.batch_write() as batch:
        for number in range(1, count + 1):
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
            priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
            created = start + timedelta(seconds=rng.randint(0, 120 * 86400))
            updated = min(now, created + timedelta(seconds=rng.randint(0, 20 * 86400)))
            assignee = None if rng.random() < 0.15 else rng.choice(agents)
            tags = rng.sample(TAGS[:-1], rng.choice([0, 0, 0, 1, 1, 2]))
            if rng.random() < 0.03:
                tags.append("spam")
            due = now + timedelta(minutes=rng.randint(-3000, 9000)) if status in STATUSES[:2] else None
            ticket_id = uuid.uuid4().hex
            item = TicketItem(
                keys.ticket(tenant_id, ticket_id),
                keys.TICKET_SK,
                tenant_id=tenant_id,
                ticket_id=ticket_id,
                number=number,
                subject=f"Ticket {number}",
                description="seeded",
                requester={"email": f"customer{rng.randint(1, 400)}@example.com", "name": ""},
                status=status,
                priority=priority,
                assignee_id=assignee,
                queue=rng.choice(QUEUES),
                tags=tags,
                channel="web",
                created_at=created,
                updated_at=updated,
                sla_due_at=due,
                version=1,
            )
            for name, value in index_keys(item).items():
                setattr(item, name, value)
            batch.save(item)
            seeded.append(
                {
                    "id": ticket_id,
                    "status": status,
                    "priority": priority,
                    "assignee_id": assignee,
                    "queue": item.queue,
                    "requester": item.requester,
                    "tags": tags,
                    "created_at": to_text(created),
                    "updated_at": to_text(updated),
                    "sla_due_at": to_text(due) if due else None,
                }
            )
    return seeded


def remove_tickets(tenant_id: str, tickets: list[dict[str, Any]]) -> None:
    """The seeded tickets deleted again (moto's index Queries look at every item of the table)."""
    records = _stream_records()
    mark = len(records)
    with TicketItem.batch_write() as batch:
        for ticket in tickets:
            batch.delete(TicketItem(keys.ticket(tenant_id, ticket["id"]), keys.TICKET_SK))
    del records[mark:]
