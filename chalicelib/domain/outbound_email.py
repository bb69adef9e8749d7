"""Who a workspace may email, and when: the rule that keeps a brand-new workspace from becoming a
phishing relay ("PayPal Security" signs up and mails a million strangers from our domain).

- A workspace whose admin never confirmed an email address sends nothing outside itself.
- Its own members with a confirmed address are always reachable (they proved the address).
- In the first day after confirmation, mail to anyone else spends a small budget; once it is spent,
  mail is held (recorded, replayable by an admin later), never silently dropped. A workspace an
  operator vetted has no such budget.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum


class Outbound(Enum):
    SEND = "send"
    SPEND_BUDGET = "spend_budget"  # send only if the first-day budget has room
    HOLD_UNCONFIRMED = "hold_unconfirmed"


HELD_REASONS = {
    Outbound.HOLD_UNCONFIRMED: "held: the workspace's admin has not confirmed an email address yet",
    Outbound.SPEND_BUDGET: "held: the workspace's first-day budget of emails to outside addresses is spent",
}


def outbound_rule(
    *,
    confirmed_at: datetime | None,
    now: datetime,
    recipient_is_confirmed_member: bool,
    first_day: timedelta,
    vetted: bool = False,
) -> Outbound:
    if recipient_is_confirmed_member:
        return Outbound.SEND
    if confirmed_at is None:
        return Outbound.HOLD_UNCONFIRMED
    if now - confirmed_at < first_day and not vetted:
        return Outbound.SPEND_BUDGET
    return Outbound.SEND
