"""The role → permission table and API-key scope parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.api.problems import problem_type
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.permissions import ROLE_PERMISSIONS, Permission, Role, parse_scopes, permissions_for_role
from chalicelib.domain.principal import Principal

EXPECTED = {
    "admin": set(Permission) - {"requests.own"},
    "lead": {
        "tickets.read",
        "tickets.write",
        "tickets.assign",
        "users.read",
        "metrics.read",
        "views.share",
        "macros.share",
        "rules.manage",  # issue 16: leads shape the team's automation
        "articles.manage",  # leads write the knowledge base with the admins (issue 15)
    },
    "agent": {"tickets.read", "tickets.write", "users.read"},
    # the read-only seat of product and customer-success managers: it reads the team's metrics, which an
    # agent does not need (issue 14)
    "viewer": {"tickets.read", "users.read", "metrics.read"},
    # a customer signed in to the portal: their own requests, nothing of the workspace (issue 15)
    "requester": {"requests.own"},
}
WRITE_VERBS = (".write", ".assign", ".manage", ".share")


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_has_exactly_its_permissions(role: str) -> None:
    assert set(permissions_for_role(role)) == EXPECTED[role]


def test_every_role_is_in_the_table_and_nothing_else() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert {str(r) for r in Role} == set(EXPECTED)


def test_admin_has_every_permission_including_ones_added_later() -> None:
    assert permissions_for_role("admin") == frozenset(Permission) - {Permission.REQUESTS_OWN}


def test_only_a_requester_holds_the_portal_permission() -> None:
    holders = [role for role, granted in ROLE_PERMISSIONS.items() if Permission.REQUESTS_OWN in granted]
    assert holders == [Role.REQUESTER]
    assert permissions_for_role("requester") == {Permission.REQUESTS_OWN}


def test_viewer_can_read_but_never_write() -> None:
    granted = permissions_for_role("viewer")
    assert granted
    assert all(p.endswith(".read") for p in granted)
    assert not any(p.endswith(WRITE_VERBS) for p in granted)


def test_roles_are_ordered_each_grants_no_less_than_the_next() -> None:
    admin, lead, agent, viewer = (permissions_for_role(r) for r in ("admin", "lead", "agent", "viewer"))
    assert agent < lead < admin
    assert viewer < lead
    assert viewer - agent == {Permission.METRICS_READ}


def test_only_admin_manages_users_keys_settings_and_reads_audit() -> None:
    for permission in ("users.manage", "api_keys.manage", "settings.manage", "audit.read"):
        holders = {role for role in EXPECTED if permission in permissions_for_role(role)}
        assert holders == {"admin"}, permission


@pytest.mark.parametrize("role", ["", "Admin", "ADMIN", "owner", "admin ", "root"])
def test_an_unknown_role_grants_nothing(role: str) -> None:
    assert permissions_for_role(role) == frozenset()


@given(st.sets(st.sampled_from(list(Permission))))
def test_any_set_of_permission_names_parses_to_the_same_permissions(chosen: set[Permission]) -> None:
    assert parse_scopes([str(p) for p in chosen]) == frozenset(chosen)


@given(st.lists(st.sampled_from([str(p) for p in Permission])), st.text(min_size=0, max_size=30))
def test_one_unknown_scope_refuses_the_whole_list_and_names_it(known: list[str], bad: str) -> None:
    if bad in {str(p) for p in Permission}:
        return
    with pytest.raises(ValueError, match="unknown scope") as caught:
        parse_scopes([*known, bad])
    assert repr(bad)[1:-1] in str(caught.value) or bad in str(caught.value)


@pytest.mark.parametrize("scope", ["tickets.*", "TICKETS.READ", "tickets.read ", "*", "admin"])
def test_scopes_are_exact_names_no_wildcards_or_roles(scope: str) -> None:
    with pytest.raises(ValueError):
        parse_scopes([scope])


def test_duplicate_scopes_collapse() -> None:
    assert parse_scopes(["tickets.read", "tickets.read"]) == frozenset({Permission.TICKETS_READ})


def principal(permissions: set[Permission]) -> Principal:
    return Principal("t", "user", "u", "U", None, frozenset(permissions))


def test_principal_require_raises_403_naming_the_missing_permission() -> None:
    caller = principal({Permission.TICKETS_READ})

    caller.require(Permission.TICKETS_READ)
    with pytest.raises(Forbidden) as caught:
        caller.require(Permission.TICKETS_WRITE)

    assert problem_type(type(caught.value)).status == 403
    assert "tickets.write" in caught.value.detail


def test_principal_actor_and_user_id_depend_on_its_kind() -> None:
    key = Principal("t", "api_key", "k1", "CI", None, frozenset())
    user = Principal("t", "user", "u1", "Ann", "agent", frozenset())

    assert key.user_id is None
    assert user.user_id == "u1"
    assert key.actor() == {"type": "api_key", "id": "k1", "name": "CI"}
