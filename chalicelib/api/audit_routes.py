from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router
from chalicelib.api.schemas import PageQuery
from chalicelib.contracts.responses import AuditListOut
from chalicelib.data import audit
from chalicelib.domain.permissions import Permission
from chalicelib.services.presenters import audit_public

router = Router(__name__, tag="audit")


@router.route(
    "/audit",
    "GET",
    access=Permission.AUDIT_READ,
    query=PageQuery,
    response=AuditListOut,
    summary="The audit log, newest first",
)
def list_audit_events(call: Call[Any, PageQuery]) -> dict[str, Any]:
    items, next_cursor = audit.list_events(call.principal.tenant_id, call.query.limit, call.query.cursor)
    return {"items": [audit_public(e) for e in items], "next_cursor": next_cursor}
