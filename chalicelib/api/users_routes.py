from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import PageQuery, UserCreateIn, UserPatchIn
from chalicelib.contracts.responses import UserListOut, UserOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="users")


@router.route(
    "/users",
    "GET",
    access=Permission.USERS_READ,
    query=PageQuery,
    response=UserListOut,
    summary="List the workspace's users",
)
def list_users(call: Call[Any, PageQuery]) -> dict[str, Any]:
    from chalicelib.services import users

    return users.list_users(call.principal, call.query.limit, call.query.cursor)


@router.route(
    "/users",
    "POST",
    access=Permission.USERS_MANAGE,
    body=UserCreateIn,
    response=UserOut,
    status=201,
    summary="Create a user with a role and a first password",
)
def create_user(call: Call[UserCreateIn, Any]) -> UserOut:
    from chalicelib.services import users

    return users.create_user(call.principal, call.body.model_dump())


@router.route("/users/{id}", "GET", access=Permission.USERS_READ, response=UserOut, summary="One user")
def get_user(call: Call[Any, Any]) -> UserOut:
    from chalicelib.services import users

    return users.get_user(call.principal, call.path["id"])


@router.route(
    "/users/{id}",
    "PATCH",
    access=Permission.USERS_READ,
    body=UserPatchIn,
    response=UserOut,
    summary="Change a user (users.manage); anyone may change their own name, password, availability",
)
def update_user(call: Call[UserPatchIn, Any]) -> UserOut:
    from chalicelib.services import users

    return users.update_user(call.principal, call.path["id"], call.body.model_dump(exclude_unset=True))


@router.route("/users/{id}", "DELETE", access=Permission.USERS_MANAGE, status=204, summary="Delete a user")
def delete_user(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import users

    users.delete_user(call.principal, call.path["id"])
    return Reply(None, 204)
