"""Transitional aliases: the notification pipeline's plumbing now lives one job per module. Import
from them:

- ``services/notification_planning.py``  Planner, slack_job, sla_check_job (who gets which job)
- ``services/delivery_queue.py``         enqueue, queue_url (the SQS delivery queue)
- ``services/sla_checks.py``             queue_sla_checks, check_sla
- ``services/dead_letters.py``           dead_letter, list_dead_letters, replay_dead_letter, dead_letter_public
- ``services/notification_prefs.py``     get_my_prefs, put_my_prefs

Kept only so branches written against the old module merge cleanly; remove it once none imports it.
"""

from __future__ import annotations

from chalicelib.services.dead_letters import dead_letter, dead_letter_public, list_dead_letters, replay_dead_letter
from chalicelib.services.delivery_queue import SQS_BATCH, enqueue, queue_url
from chalicelib.services.notification_planning import Planner, sla_check_job, slack_job
from chalicelib.services.notification_prefs import get_my_prefs, put_my_prefs
from chalicelib.services.sla_checks import check_sla, queue_sla_checks

__all__ = [
    "SQS_BATCH",
    "Planner",
    "check_sla",
    "dead_letter",
    "dead_letter_public",
    "enqueue",
    "get_my_prefs",
    "list_dead_letters",
    "put_my_prefs",
    "queue_sla_checks",
    "queue_url",
    "replay_dead_letter",
    "sla_check_job",
    "slack_job",
]
