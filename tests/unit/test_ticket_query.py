"""Filter planning: each filter combination picks a keyed index and leaves the rest as filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.ticket_query import (
    UNASSIGNED,
    Residual,
    TicketFilter,
    filter_problems,
    list_partition_kind,
    plan_ticket_query,
    validate_filter,
)

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


# --- validation: a filter is checked as a whole before it is planned ---------------------------

LATER = T.replace(year=2030)
USER = "0123456789abcdef0123456789abcdef"


def fields_refused(f: TicketFilter) -> list[str]:
    return [p["field"] for p in filter_problems(f)]


def test_an_inverted_or_empty_range_names_its_upper_bound() -> None:
    assert fields_refused(TicketFilter(updated_after=LATER, updated_before=T)) == ["updated_before"]
    assert fields_refused(TicketFilter(created_after=LATER, created_before=T, sort="created_at")) == ["created_before"]
    assert fields_refused(TicketFilter(created_after=T, created_before=T)) == ["created_before"]  # exclusive bounds


def test_an_ordered_or_open_range_is_accepted() -> None:
    for f in (
        TicketFilter(updated_after=T, updated_before=LATER),
        TicketFilter(created_after=LATER),
        TicketFilter(updated_before=T, created_after=LATER),  # different fields: each range is open
    ):
        assert validate_filter(f) is f


def test_every_problem_is_named_at_once_with_what_was_found_while_building() -> None:
    f = TicketFilter(
        statuses=("open", "later"),
        priorities=("soon",),
        assignee="Robert'); DROP",
        sort="oldest",  # type: ignore[arg-type]
        updated_after=LATER,
        updated_before=T,
        created_before=datetime(2026, 1, 1),  # no time zone: cannot be compared with a stored instant
    )
    with pytest.raises(ValidationFailed) as refused:
        validate_filter(f, [{"field": "q", "message": "found earlier"}])
    assert [e["field"] for e in refused.value.errors] == [
        "q",
        "status",
        "priority",
        "assignee",
        "sort",
        "created_before",
        "updated_before",
    ]
    assert "updated_before: must be later than updated_after" in refused.value.detail


def test_unassigned_and_user_ids_are_assignees() -> None:
    assert fields_refused(TicketFilter(assignee=UNASSIGNED)) == []
    assert fields_refused(TicketFilter(assignee=USER)) == []


moments = st.none() | st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2031, 1, 1), timezones=st.just(UTC)
)


@given(
    filters,
    moments,
    moments,
    moments,
    moments,
)
def test_a_filter_that_validates_always_has_a_key_range_dynamodb_accepts(
    f: TicketFilter,
    created_after: datetime | None,
    created_before: datetime | None,
    updated_after: datetime | None,
    updated_before: datetime | None,
) -> None:
    f = replace(
        f,
        assignee=f.assignee and USER,
        created_after=created_after,
        created_before=created_before,
        updated_after=updated_after,
        updated_before=updated_before,
    )
    if filter_problems(f):
        inverted = [(a, b) for a, b in ((created_after, created_before), (updated_after, updated_before)) if a and b]
        assert any(a >= b for a, b in inverted)  # only an unrunnable range is refused
        return
    plan = plan_ticket_query(f)
    if plan.key_after is not None and plan.key_before is not None:
        assert plan.key_after < plan.key_before  # BETWEEN low AND high needs low <= high


# --- spam is held apart --------------------------------------------------------------------------


def test_ordinary_lists_read_no_spam_partition_and_need_no_extra_filter() -> None:
    plan = plan_ticket_query(TicketFilter(statuses=("new", "open")))
    assert plan.partitions == (("status", "new"), ("status", "open"))
    assert all(r.field != "tags" for r in plan.residuals)


def test_the_spam_view_reads_only_the_spam_shadow_of_its_index() -> None:
    plan = plan_ticket_query(TicketFilter(tag="spam"))
    assert (plan.index, plan.partitions, plan.residuals) == ("by_updated", (("spam-tenant", ""),), ())
    by_status = plan_ticket_query(TicketFilter(tag="spam", statuses=("new",)))
    assert by_status.partitions == (("spam-status", "new"),)


def test_a_requester_list_which_holds_spam_filters_it_out_unless_asked() -> None:
    plan = plan_ticket_query(TicketFilter(requester="a@example.com"))
    assert plan.index == "by_requester"
    assert Residual("tags", "not_contains", ("spam",)) in plan.residuals
    asked = plan_ticket_query(TicketFilter(requester="a@example.com", tag="spam"))
    assert asked.residuals == (Residual("tags", "contains", ("spam",)),)


def test_a_spam_ticket_is_listed_under_the_shadow_of_every_index_but_the_requesters() -> None:
    assert list_partition_kind("status", ["spam", "vip"]) == "spam-status"
    assert list_partition_kind("tenant", ["spam"]) == "spam-tenant"
    assert list_partition_kind("requester", ["spam"]) == "requester"
    assert list_partition_kind("status", ["vip"]) == "status"


# --- composite list keys (a workspace whose tickets all carry them) ----------------------------


def test_assignee_with_statuses_reads_one_assignee_status_partition_per_status() -> None:
    plan = plan_ticket_query(TicketFilter(assignee="u1", statuses=("open", "new")), composite=True)
    assert plan.index == "by_assignee_status" and plan.order == "merge"
    assert plan.partitions == (("assignee_status", "u1#new"), ("assignee_status", "u1#open"))
    assert plan.residuals == ()  # spam is in the shadow partitions: nothing left to filter


def test_statuses_with_priorities_read_their_status_priority_partitions() -> None:
    plan = plan_ticket_query(TicketFilter(statuses=("open", "new"), priorities=("urgent",)), composite=True)
    assert plan.index == "by_status_priority"
    assert plan.partitions == (("status_priority", "new#urgent"), ("status_priority", "open#urgent"))


def test_queue_with_statuses_reads_queue_status_partitions() -> None:
    plan = plan_ticket_query(TicketFilter(queue="billing", statuses=("pending",)), composite=True)
    assert (plan.index, plan.partitions) == ("by_queue_status", (("queue_status", "billing#pending"),))


def test_priority_sort_with_statuses_merges_each_priority_s_statuses_most_urgent_first() -> None:
    plan = plan_ticket_query(
        TicketFilter(sort="priority", statuses=("open", "new"), priorities=("low", "urgent")), composite=True
    )
    assert plan.partitions == (
        ("status_priority", "new#urgent"),
        ("status_priority", "open#urgent"),
        ("status_priority", "new#low"),
        ("status_priority", "open#low"),
    )
    assert [plan.rank(i) for i in range(4)] == [0, 0, 1, 1]


def test_composite_plans_hold_spam_apart_in_their_shadows() -> None:
    plan = plan_ticket_query(TicketFilter(assignee="u1", statuses=("open",), tag="spam"), composite=True)
    assert plan.partitions == (("spam-assignee_status", "u1#open"),)
    assert list_partition_kind("assignee_status", ["spam"]) == "spam-assignee_status"


@given(filters)
def test_every_composite_plan_loses_no_filter(f: TicketFilter) -> None:
    plan = plan_ticket_query(f, composite=True)
    assert plan.partitions
    keyed = {part for kind, _ in plan.partitions for part in kind.removeprefix("spam-").split("_")}
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
