"""The first-day outbound email budget of a workspace: one atomic counter per workspace."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.data import keys
from chalicelib.data.models import OutboundBudgetItem


def spend_one(tenant_id: str, budget: int, expires: datetime) -> bool:
    """Counts one email if fewer than ``budget`` were counted; False (nothing counted) if not.
    Conditional, so concurrent senders never overspend."""
    counter = OutboundBudgetItem(*keys.outbound_budget(tenant_id), tenant_id=tenant_id)
    try:
        counter.update(
            actions=[
                OutboundBudgetItem.sent.add(1),
                OutboundBudgetItem.expires.set(expires),
                # an update creates the item: write what a save would, so it is typed and tenant-keyed
                OutboundBudgetItem.kind.set(OutboundBudgetItem),
                OutboundBudgetItem.tenant_id.set(tenant_id),
            ],
            condition=OutboundBudgetItem.sent.does_not_exist() | (OutboundBudgetItem.sent < budget),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
