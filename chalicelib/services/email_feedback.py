"""SES's bounce and complaint events for the workspaces' mail, turned into their suppression lists.

Workspace mail goes out with the stage's configuration set and a ``tenant`` message tag; SES publishes
bounces and complaints for it to an SNS topic this use case reads. A permanent bounce or a complaint
suppresses the address in that workspace: the outbound gate refuses it from then on (a transient bounce,
a full mailbox, does not).
"""

from __future__ import annotations

from typing import Any

from chalicelib.data import suppressions
from chalicelib.domain.clock import utcnow
from chalicelib.observability import logger, metrics

TENANT_TAG = "tenant"


def record_feedback(notification: dict[str, Any]) -> list[str]:
    """Suppresses what one SES event notification reports; returns the addresses suppressed."""
    kind = str(notification.get("eventType") or notification.get("notificationType") or "")
    tags = notification.get("mail", {}).get("tags", {})
    tenant_id = str((tags.get(TENANT_TAG) or [""])[0])
    if not tenant_id:
        logger.info("SES event without a workspace tag (platform mail)", extra={"type": kind})
        return []
    if kind == "Bounce":
        bounce = notification.get("bounce", {})
        if bounce.get("bounceType") != "Permanent":
            return []
        found = [
            (r.get("emailAddress", ""), str(r.get("diagnosticCode", ""))) for r in bounce.get("bouncedRecipients", [])
        ]
        reason = "bounce"
    elif kind == "Complaint":
        complaint = notification.get("complaint", {})
        found = [
            (r.get("emailAddress", ""), str(complaint.get("complaintFeedbackType", "")))
            for r in complaint.get("complainedRecipients", [])
        ]
        reason = "complaint"
    else:
        return []
    now = utcnow()
    suppressed = []
    for address, detail in found:
        if address:
            suppressions.suppress(tenant_id, address, reason, detail, now)
            suppressed.append(address.lower())
    metrics.add_metric(name="EmailAddressesSuppressed", unit="Count", value=len(suppressed))
    logger.warning("addresses suppressed", extra={"tenant_id": tenant_id, "reason": reason, "count": len(suppressed)})
    return suppressed
