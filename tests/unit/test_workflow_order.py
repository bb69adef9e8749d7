"""The workflows consumer places waiting tickets before the batch's slower work, and a record whose
routing failed is reported failed without the rest of its work (so it is done, and counted, once)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.workers import workflows

STEPS = (
    "index_for_search",
    "notify_change",
    "replan_on_settings_change",
    "check_moved_deadline",
    "run_event_rules",
    "count_ticket_tags",
    "keep_contacts",
    "count_ticket_milestones",
)


def _record(sequence: str) -> dict[str, Any]:
    return {
        "eventID": sequence,
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "SequenceNumber": sequence,
            "Keys": {"pk": {"S": sequence}},
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    made: list[tuple[str, str]] = []

    def change_of(record: Any) -> Any:
        sequence = record.dynamodb.sequence_number
        return SimpleNamespace(current=SimpleNamespace(kind="ticket"), event_id=sequence, sequence=sequence)

    def route(change: Any, *_: Any) -> None:
        made.append(("route", change.sequence))
        if change.sequence == "2":
            raise RuntimeError("routing failed")

    monkeypatch.setattr(workflows, "item_change", change_of)
    monkeypatch.setattr(workflows, "route_change", route)
    monkeypatch.setattr(workflows, "read_watchers_ahead", lambda changes, planner: None)
    for step in STEPS:
        monkeypatch.setattr(workflows, step, lambda change, *_, step=step: made.append((step, change.sequence)))
    return made


def test_every_record_is_routed_before_any_is_indexed_and_a_failed_route_skips_the_rest(
    calls: list[tuple[str, str]],
) -> None:
    # GIVEN a batch of three records whose second fails to route
    event = {"Records": [_record("1"), _record("2"), _record("3")]}
    # WHEN the consumer handles it
    response = workflows.handle_workflow_batch(event, None)
    # THEN all three were routed before the first was indexed
    assert calls[:3] == [("route", "1"), ("route", "2"), ("route", "3")]
    # AND the second is reported failed, with none of its other work done (its retry does it, once)
    assert response["batchItemFailures"] == [{"itemIdentifier": "2"}]
    assert {sequence for step, sequence in calls[3:]} == {"1", "3"}
    assert [sequence for step, sequence in calls if step == "count_ticket_milestones"] == ["1", "3"]
