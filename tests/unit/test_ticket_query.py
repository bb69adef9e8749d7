"""Filter planning: each filter combination picks a keyed index and leaves the rest as filters."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.ticket_query import Residual, TicketFilter, plan_ticket_query

T = datetime(2026, 11, 1, tzinfo=UTC)


def test_no_filter_reads_the_tenant_by_update_time_newest_first() -> None:
    plan = plan_ticket_query(TicketFilter())
    assert (plan.index, plan.partitions, plan.descending) == ("by_updated", (("tenant", ""),), True)
    assert plan.residuals == ()


def test_assignee_is_the_most_selective_key() -> None:
    plan = plan_ticket_query(TicketFilter(assignee="u1", statuses=("open", "new"), queue="billing"))
    assert plan.index == "by_assignee" and plan.partitions == (("assignee", "u1"),)
    assert Residual("status", "in", ("new", "open")) in plan.residuals
    assert Residual("queue", "eq", ("billing",)) in plan.residuals


def test_several_statuses_merge_one_partition_each() -> None:
    plan = plan_ticket_query(TicketFilter(statuses=("open", "new", "open")))
    assert plan.index == "by_status" and plan.order == "merge"
    assert plan.partitions == (("status", "new"), ("status", "open"))


def test_priority_sort_reads_priorities_most_urgent_first() -> None:
    plan = plan_ticket_query(TicketFilter(sort="priority", priorities=("low", "urgent")))
    assert plan.order == "concat"
    assert plan.partitions == (("priority", "urgent"), ("priority", "low"))


def test_update_range_becomes_a_sort_key_bound_that_excludes_the_instant() -> None:
    plan = plan_ticket_query(TicketFilter(updated_after=T, updated_before=T.replace(day=2)))
    assert plan.key_after == "2026-11-01T00:00:00.000000Z#~"
    assert plan.key_before == "2026-11-02T00:00:00.000000Z"
    assert all(r.field != "updated_at" for r in plan.residuals)


def test_created_sort_uses_the_created_index() -> None:
    plan = plan_ticket_query(TicketFilter(sort="created_at", assignee="u1", created_after=T))
    assert plan.index == "by_created" and not plan.descending
    assert plan.key_after is not None
    assert Residual("assignee", "eq", ("u1",)) in plan.residuals


def test_sla_deadline_uses_the_sla_index_soonest_first() -> None:
    plan = plan_ticket_query(TicketFilter(sla_due_before=T))
    assert (plan.index, plan.descending, plan.key_before) == ("by_sla_due", False, "2026-11-01T00:00:00.000000Z")


filters = st.builds(
    TicketFilter,
    statuses=st.lists(st.sampled_from(["new", "open", "pending", "on_hold", "solved", "closed"]), max_size=3).map(
        tuple
    ),
    priorities=st.lists(st.sampled_from(["urgent", "high", "normal", "low"]), max_size=2).map(tuple),
    assignee=st.none() | st.sampled_from(["u1", "none"]),
    queue=st.none() | st.just("billing"),
    tag=st.none() | st.just("vip"),
    requester=st.none() | st.just("a@example.com"),
    sort=st.sampled_from(["-updated_at", "updated_at", "-created_at", "created_at", "priority"]),
)


@given(filters)
def test_every_combination_has_a_keyed_plan_and_loses_no_filter(f: TicketFilter) -> None:
    plan = plan_ticket_query(f)
    assert plan.partitions, "a plan always names at least one partition to Query"
    keyed = {kind for kind, _ in plan.partitions}
    residual_fields = {r.field for r in plan.residuals}
    for name, field, kind in [
        ("statuses", "status", "status"),
        ("priorities", "priority", "priority"),
        ("assignee", "assignee", "assignee"),
        ("queue", "queue", "queue"),
        ("requester", "requester", "requester"),
        ("tag", "tags", "tags"),
    ]:
        if getattr(f, name):
            assert kind in keyed or field in residual_fields, f"{name} was dropped"
