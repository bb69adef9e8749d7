"""Scheduled upkeep for every workspace: true load counters, agents marked away once their last
dashboard has been gone for a grace period, a sweep of the waiting queue, checks queued for
the SLA deadlines coming up, the time rules (``services/time_rules.py``), and (once per
workspace) comment postings tagged reply or note, and the composite list keys given to older tickets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.data import connections, identity
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.observability import logger
from chalicelib.services.assignment import assign_waiting, recompute_loads
from chalicelib.services.list_keys_backfill import backfill_everywhere as backfill_list_keys_everywhere
from chalicelib.services.metrics_rebuild import rebuild_yesterday_everywhere
from chalicelib.services.presenters import user_snapshot
from chalicelib.services.search import backfill_ranked_postings, retag_comment_postings
from chalicelib.services.sla_checks import queue_sla_checks
from chalicelib.services.time_rules import run_time_rules_everywhere

AWAY_AFTER = timedelta(minutes=3)


def run_housekeeping() -> dict[str, Any]:
    report: dict[str, Any] = {
        "workspaces": 0,
        "load_repairs": 0,
        "marked_away": 0,
        "assigned_from_queue": 0,
        "sla_checks": 0,
    }
    for tenant_id in identity.all_tenant_ids():
        report["workspaces"] += 1
        report["load_repairs"] += len(recompute_loads(tenant_id))
        report["marked_away"] += mark_disconnected_agents_away(tenant_id)
        # a safety net: a stream record that ended in the dead-letter queue leaves no ticket waiting long
        report["assigned_from_queue"] += len(assign_waiting(tenant_id))
    report["sla_checks"] = queue_sla_checks(utcnow())
    report["metrics_days_rebuilt"] = rebuild_yesterday_everywhere()
    pending = [entry for entry in identity.all_registry_entries() if not entry.comment_postings_tagged]
    report["comment_postings_retagged"] = sum(retag_comment_postings(entry) for entry in pending)
    unranked = [entry for entry in identity.all_registry_entries() if not entry.ranked_postings_ready]
    report["ranked_postings_backfilled"] = sum(backfill_ranked_postings(entry) for entry in unranked)
    report["time_rules"] = run_time_rules_everywhere()
    report["list_keys_backfilled"] = backfill_list_keys_everywhere()
    logger.info("housekeeping", extra=report)
    return report


def mark_disconnected_agents_away(tenant_id: str) -> int:
    connected = {c.user_id for c in connections.tenant_connections(tenant_id)}
    cutoff = utcnow() - AWAY_AFTER
    marked = 0
    for user in identity.all_users(tenant_id):
        gone = user.last_seen_at is not None and user.last_seen_at < cutoff
        if user.availability == "online" and user.user_id not in connected and gone:
            before = user_snapshot(user)
            user.availability, user.updated_at = "away", utcnow()
            try:
                identity.save_user(
                    user,
                    user.email,
                    audit=AuditEntry(
                        ROUTER,
                        "user.availability_changed",
                        AuditTarget("user", user.user_id, name=user.name),
                        before={"availability": before["availability"]},
                        after={"availability": "away"},
                    ),
                )
            except TransactionConflict:
                continue
            marked += 1
    return marked


def note_disconnect(tenant_id: str, user_id: str) -> None:
    """Remembers when a user's dashboard went away; housekeeping decides later if they are away."""
    identity.touch_last_seen(tenant_id, user_id)
