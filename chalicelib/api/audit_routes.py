from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router, TextReply
from chalicelib.api.schemas import AuditQuery
from chalicelib.contracts.responses import AuditListOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="audit")
CSV = "text/csv"


@router.route(
    "/audit",
    "GET",
    access=Permission.AUDIT_READ,
    query=AuditQuery,
    response=AuditListOut,
    also_answers=(CSV,),
    summary="The audit log, newest first, by who, what and when (Accept: text/csv exports up to 5,000 events)",
)
def list_audit_events(call: Call[Any, AuditQuery]) -> AuditListOut | TextReply:
    from chalicelib.services import audit_log

    query = call.query.model_dump()
    if CSV in call.headers.get("accept", ""):
        return TextReply(audit_log.audit_csv(call.principal, query), f"{CSV}; charset=utf-8", "audit.csv")
    return audit_log.list_audit(call.principal, query)
