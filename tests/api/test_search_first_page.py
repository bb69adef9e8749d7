"""Search whose first page is the best page (issue 19, item 4): a word's postings are also kept in rank order,
so a page of results reads about a page of postings, in exactly the order the read of every posting ranks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient

from chalicelib.data import identity, keys
from chalicelib.data.models import RegistryEntry, SearchTermItem, SearchWordItem
from chalicelib.domain.search_text import matchable_sources, query_words
from chalicelib.domain.ticket_query import TicketFilter
from chalicelib.services import search
from chalicelib.services.auth import authenticate
from tests.api.client import ApiClient, Workspace
from tests.api.streams import StreamPump

_original = BaseClient._make_api_call


@contextmanager
def search_items_read() -> Iterator[list[int]]:
    """Items DynamoDB read from the search table (Query's ``ScannedCount``), over the block."""
    read: list[int] = []

    def counting(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = _original(self, operation, params)
        if operation == "Query" and params.get("TableName") == SearchTermItem.Meta.table_name:
            read.append(int(answer.get("ScannedCount", answer.get("Count", 0))))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", counting):
        yield read


def open_ticket(api: ApiClient, token: str, subject: str, description: str) -> str:
    body = {"subject": subject, "description": description, "requester": {"email": "r@example.com"}}
    reply = api.post("/tickets", body, token)
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def by_prefix(token: str, query: str, wanted: int) -> list[str]:
    """The ranking of every posting read by prefix: what search answered before ranked postings."""
    principal = authenticate(f"Bearer {token}")
    sources = matchable_sources("tickets.write" in {str(p) for p in principal.permissions})
    found, _ = search._matching_by_prefix(principal, query_words(query), sources, TicketFilter(), wanted)
    return [t["id"] for t in found]


def listed(api: ApiClient, token: str, query: str, limit: int = 100) -> list[str]:
    reply = api.get(f"/tickets?limit={limit}&q={query}", token)
    assert reply.status == 200, reply.body
    return [t["id"] for t in reply.body["items"]]


def seed_mixed(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    """Subject and body hits, a longer word with the same prefix, public replies and internal notes."""
    agent = workspace.token("agent")
    for n in range(24):
        subject = ["Printer jams", "Billing question", "Printers offline", "Login"][n % 4]
        description = ["The printer is on fire", "nothing here", "print queue stuck", "see printers"][(n // 4) % 4]
        ticket = open_ticket(api, agent, f"{subject} {n}", description)
        if n % 5 == 0:
            api.post(f"/tickets/{ticket}/comments", {"body": "printer replaced", "public": True}, agent)
        if n % 7 == 0:
            api.post(f"/tickets/{ticket}/comments", {"body": "printout attached", "public": False}, agent)
    pump.pump()


def test_the_ranked_read_answers_the_same_order_as_reading_every_posting(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN tickets matching "print" in many ways, for callers who do and do not read internal notes
    seed_mixed(api, workspace, pump)
    for role in ("agent", "viewer"):
        token = workspace.token(role)
        for query in ("print", "printer", "printers", "printo", "jams"):
            # WHEN the list is asked for a word THEN it ranks as the read of every posting did
            expected = by_prefix(token, query, 101)
            assert listed(api, token, query) == expected, (role, query)
    # AND a viewer never finds a ticket through a note's word
    assert listed(api, workspace.token("viewer"), "printo") == []
    assert listed(api, workspace.token("agent"), "printo") != []


def test_a_common_word_reads_about_a_page_of_postings(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    # GIVEN a word in 120 tickets
    agent = workspace.token("agent")
    for n in range(120):
        open_ticket(api, agent, f"Case {n}" if n % 3 else f"Printer {n}", "the printer again")
    pump.pump()

    # WHEN a page of 10 is asked for
    with search_items_read() as read:
        page = listed(api, agent, "printer", limit=10)

    # THEN it is the best ten, and the postings read are bounded by the page, not by the word's 120 postings
    assert page == by_prefix(agent, "printer", 11)[:10]
    assert sum(read) <= 2 * (10 + 1) + 2, read
    with search_items_read() as old_read:
        by_prefix(agent, "printer", 11)
    assert sum(old_read) >= 120


def test_older_tickets_get_ranked_postings_from_an_idempotent_backfill(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a workspace indexed before ranked postings existed
    seed_mixed(api, workspace, pump)
    tenant_id = authenticate(f"Bearer {workspace.token('agent')}").tenant_id
    for notes in (False, True):
        for word in ("print", "printer", "printers", "printout", "replaced", "jams", "fire"):
            for posting in SearchTermItem.query(keys.ranked_search_word(tenant_id, word, notes)):
                posting.delete()
        for entry in SearchWordItem.query(keys.search_vocabulary(tenant_id, "pr", notes)):
            entry.delete()
    RegistryEntry(*keys.registry_entry(tenant_id)).update(
        actions=[RegistryEntry.ranked_postings_ready.set(False), RegistryEntry.ranked_postings_after.remove()]
    )
    search._ready.clear()
    agent = workspace.token("agent")
    expected = by_prefix(agent, "print", 101)

    # THEN until it is done, searches still read by prefix and find everything
    assert listed(api, agent, "print") == expected

    # WHEN the backfill runs, a few tickets at a time, and then once more from the start
    entry = RegistryEntry.get(*keys.registry_entry(tenant_id))
    while not entry.ranked_postings_ready:
        search.backfill_ranked_postings(entry, budget=10)
        entry = RegistryEntry.get(*keys.registry_entry(tenant_id))
    entry.update(actions=[RegistryEntry.ranked_postings_after.remove()])
    search.backfill_ranked_postings(entry, budget=100)

    # THEN the workspace reads ranked postings, with the same answers as before
    search._ready.clear()
    assert identity.ranked_postings_ready(tenant_id)
    with search_items_read() as read:
        assert listed(api, agent, "print", limit=5) == expected[:5]
    assert sum(read) < 30, read
    assert listed(api, workspace.token("viewer"), "print") == by_prefix(workspace.token("viewer"), "print", 101)
