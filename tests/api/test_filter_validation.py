"""A filter is validated as a whole before it runs or is saved; a stored view that cannot run is
reported in its own entry of GET /views.

Issue 11, item 4: an inverted date range was a 500 (DynamoDB refused the key range), and a shared
view saved with one answered 500 *but was stored*, so GET /views was 500 for the whole workspace.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.api.client import ApiClient, Reply, Workspace, audit_events, new_api_key

LATE, EARLY = "2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"
INVERTED = {"updated_after": LATE, "updated_before": EARLY}


def assert_refused(reply: Reply, field: str) -> None:
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in reply.body["errors"]], reply.body


def new_ticket(api: ApiClient, workspace: Workspace) -> dict[str, Any]:
    body = {"subject": "Printer", "description": "It jams", "requester": {"email": "r@example.com"}}
    reply = api.post("/tickets", body, workspace.token("agent"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def saved_views(api: ApiClient, token: str) -> list[dict[str, Any]]:
    reply = api.get("/views", token)
    assert reply.status == 200, reply.body
    return [v for v in reply.body["items"] if not v["builtin"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (INVERTED, "updated_before"),
        ({"created_after": LATE, "created_before": EARLY}, "created_before"),
        ({"created_after": LATE, "created_before": EARLY, "sort": "created_at"}, "created_before"),
        ({"created_after": LATE, "created_before": EARLY, "sort": "-created_at"}, "created_before"),
        ({**INVERTED, "sort": "priority"}, "updated_before"),
        ({**INVERTED, "status": ["open"]}, "updated_before"),
        ({"updated_after": LATE, "updated_before": LATE}, "updated_before"),  # an empty range
        ({**INVERTED, "q": "printer"}, "updated_before"),
        ({"updated_before": "0.5"}, "updated_before"),  # not read as a Unix time
        ({"created_after": "1700000000"}, "created_after"),
        ({"sla_due_before": "2026-13-01T00:00:00Z"}, "sla_due_before"),
    ],
)
def test_a_list_filter_that_cannot_run_is_a_422_naming_the_field(
    api: ApiClient, shared_workspace: Workspace, params: dict[str, Any], field: str
) -> None:
    reply = api.get("/tickets?" + urlencode(params, doseq=True), shared_workspace.token("viewer"))
    assert_refused(reply, field)


def test_every_problem_of_a_filter_is_named_at_once(api: ApiClient, shared_workspace: Workspace) -> None:
    key = new_api_key(api, shared_workspace, ["tickets.read"])
    params = {**INVERTED, "created_after": LATE, "created_before": EARLY, "assignee": "me"}
    reply = api.get("/tickets?" + urlencode(params), key)
    assert reply.status == 422
    assert sorted(e["field"] for e in reply.body["errors"]) == ["assignee", "created_before", "updated_before"]


def test_an_ordered_range_still_lists_as_before(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace)
    for sort in ("-updated_at", "created_at", "priority"):
        params = {"updated_after": EARLY, "updated_before": LATE, "created_after": EARLY, "sort": sort}
        reply = api.get("/tickets?" + urlencode(params), workspace.token("viewer"))
        assert reply.status == 200 and [t["id"] for t in reply.body["items"]] == [ticket["id"]], sort


def test_a_view_that_cannot_run_is_refused_and_nothing_is_stored(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.token("lead")
    audit_before = audit_events(api, workspace)

    # WHEN a lead shares a view with an inverted range
    reply = api.post("/views", {"name": "Broken", "filters": INVERTED, "shared": True}, lead)

    # THEN it is a 422 naming the field, and neither the view nor an audit entry was stored
    assert_refused(reply, "filters.updated_before")
    assert saved_views(api, lead) == [] and saved_views(api, workspace.token("viewer")) == []
    assert audit_events(api, workspace) == audit_before
    assert_refused(
        api.post("/views", {"name": "Decimal", "filters": {"updated_before": "0.5"}}, lead), "filters.updated_before"
    )


def test_new_filters_that_cannot_run_leave_a_view_as_it_was(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.token("lead")
    view = api.post("/views", {"name": "Recent", "filters": {"updated_after": EARLY}, "shared": True}, lead).body
    audit_before = audit_events(api, workspace)

    reply = api.patch(f"/views/{view['id']}", {"name": "Renamed", "filters": INVERTED}, lead)

    assert_refused(reply, "filters.updated_before")
    [stored] = saved_views(api, lead)
    assert (stored["name"], stored["filters"], stored["runnable"]) == (
        "Recent",
        {"updated_after": EARLY, "sort": "-updated_at"},
        True,
    )
    assert audit_events(api, workspace) == audit_before


def store_view_directly(workspace: Workspace, name: str, filters: dict[str, Any], owner: str) -> str:
    """A view saved before today's rules existed: written through the data layer, unchecked."""
    from chalicelib.data import views as repo
    from chalicelib.data.store import new_id

    view = repo.view_item(workspace.tenant_id, new_id(), name=name, filters=filters, owner_id=owner, shared=True)
    view.save()
    return view.view_id


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (INVERTED, "filters.updated_before"),
        ({"created_after": LATE, "created_before": EARLY, "sort": "created_at"}, "filters.created_before"),
        ({"updated_before": "last tuesday"}, "filters.updated_before"),
        ({"updated_before": "2030-01-01T00:00:00"}, "filters.updated_before"),  # no time zone
        ({"status": "open"}, "filters.status"),
        ({"status": ["later"]}, "filters.status"),
        ({"sort": "oldest"}, "filters.sort"),
        ({"colour": "blue"}, "filters.colour"),  # a filter that no longer exists
    ],
)
def test_a_stored_view_that_cannot_run_is_reported_in_its_own_entry(
    api: ApiClient, workspace: Workspace, filters: dict[str, Any], field: str
) -> None:
    # GIVEN a good shared view and one stored with a filter that cannot run
    lead = workspace.token("lead")
    new_ticket(api, workspace)
    good = api.post("/views", {"name": "All", "filters": {}, "shared": True}, lead).body
    broken = store_view_directly(workspace, "Broken", filters, workspace.members["lead"].id)

    # WHEN any member lists the views
    for role in ("admin", "lead", "agent", "viewer"):
        entries = {v["id"]: v for v in saved_views(api, workspace.token(role))}

        # THEN the list answers, the broken view says why, and the others count as before
        assert entries[good["id"]]["count"] == 1 and entries[good["id"]]["runnable"] is True
        assert entries[good["id"]]["error"] is None
        entry = entries[broken]
        assert (entry["runnable"], entry["count"], entry["count_capped"]) == (False, None, False), entry
        assert field in [e["field"] for e in entry["error"]["errors"]] and entry["error"]["detail"]


def test_paging_kept_in_a_stored_view_is_ignored_not_an_error(api: ApiClient, workspace: Workspace) -> None:
    stored = store_view_directly(workspace, "Old", {"limit": 50, "status": ["open"]}, workspace.members["lead"].id)
    [entry] = [v for v in saved_views(api, workspace.token("lead")) if v["id"] == stored]
    assert (entry["runnable"], entry["count"]) == (True, 0)


def test_a_broken_view_can_be_renamed_mended_or_deleted(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.token("lead")
    broken = store_view_directly(workspace, "Broken", INVERTED, workspace.members["lead"].id)

    renamed = api.patch(f"/views/{broken}", {"name": "Still broken"}, lead)
    assert renamed.status == 200 and renamed.body["runnable"] is False and renamed.body["count"] is None

    mended = api.patch(f"/views/{broken}", {"filters": {"updated_before": LATE}}, lead)
    assert mended.status == 200 and mended.body["runnable"] is True and mended.body["count"] == 0

    assert api.delete(f"/views/{broken}", lead).status == 204


def test_a_shared_view_of_my_tickets_does_not_break_an_api_keys_list(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.token("lead")
    mine = api.post("/views", {"name": "Mine", "filters": {"assignee": "me"}, "shared": True}, lead).body
    key = new_api_key(api, workspace, ["tickets.read"])

    entries = {v["id"]: v for v in saved_views(api, key)}

    assert entries[mine["id"]]["runnable"] is False
    assert [e["field"] for e in entries[mine["id"]]["error"]["errors"]] == ["filters.assignee"]
