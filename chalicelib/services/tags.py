"""Tag suggestions from what the workspace uses: counts folded from the ticket stream, read bounded."""

from __future__ import annotations

from collections import defaultdict

from chalicelib.contracts.desk import TagListOut, TagOut
from chalicelib.data import tags as repo
from chalicelib.data.models import MainItem, TicketItem
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.principal import Principal


def suggest_tags(principal: Principal, prefix: str | None, limit: int) -> TagListOut:
    counts = [t for t in repo.list_tag_counts(principal.tenant_id) if int(t.tickets) > 0]
    if prefix:
        counts = [t for t in counts if t.tag.startswith(prefix)]
    counts.sort(key=lambda t: (-int(t.tickets), t.tag))
    items = [
        TagOut(
            tag=t.tag,
            tickets=int(t.tickets),
            last_used_at=to_text(t.last_used_at) if t.last_used_at else None,
        )
        for t in counts[:limit]
    ]
    return TagListOut(items=items, next_cursor=None)


class TagChanges:
    """A stream batch's tag changes (each ticket version's counted once), counted together by
    :meth:`write`: a transaction per workspace and up to a hundred items, not one per ticket version."""

    def __init__(self) -> None:
        self._by_tenant: dict[str, list[repo.TagChange]] = defaultdict(list)

    def collect(self, old: MainItem | None, new: MainItem | None) -> None:
        if not isinstance(new, TicketItem):
            return
        before = {str(t) for t in old.tags or []} if isinstance(old, TicketItem) else set()
        after = {str(t) for t in new.tags or []}
        if before != after:
            change = repo.TagChange(
                new.ticket_id, int(new.version), frozenset(after - before), frozenset(before - after), utcnow()
            )
            self._by_tenant[new.tenant_id].append(change)

    def write(self) -> int:
        pending, self._by_tenant = self._by_tenant, defaultdict(list)
        return sum(repo.count_tag_changes(tenant_id, changes) for tenant_id, changes in pending.items())
