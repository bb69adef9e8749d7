"""Keyword search never lets someone who cannot read internal notes find a ticket through one.

Issue 11, item 3: a note "refund code zqn14c600" made ``GET /tickets?q=zqn1`` return the ticket to
a viewer, who could then spell the note out one letter at a time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.search_text import query_words, words
from tests.api.client import ApiClient, Workspace, new_api_key
from tests.api.streams import StreamPump

NOTE_READERS = ("admin", "agent", "writer key")  # sees_internal_notes: tickets.write
NOTE_BLIND = ("viewer", "read-only key")  # tickets.read only


def open_ticket(api: ApiClient, workspace: Workspace, subject: str, description: str) -> str:
    body = {"subject": subject, "description": description, "requester": {"email": "r@example.com"}}
    reply = api.post("/tickets", body, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def comment(api: ApiClient, workspace: Workspace, ticket_id: str, body: str, public: bool) -> None:
    reply = api.post(f"/tickets/{ticket_id}/comments", {"body": body, "public": public}, workspace.token("agent"))
    assert reply.status == 201, reply.body


def callers(api: ApiClient, workspace: Workspace) -> dict[str, str]:
    return {
        **{role: workspace.token(role) for role in ("admin", "agent", "viewer")},
        "read-only key": new_api_key(api, workspace, ["tickets.read"]),
        "writer key": new_api_key(api, workspace, ["tickets.read", "tickets.write"]),
    }


def search(api: ApiClient, token: str, query: str) -> list[str]:
    reply = api.get(f"/tickets?limit=100&q={quote(query)}", token)
    assert reply.status == 200, reply.body
    assert reply.body["next_cursor"] is None
    return [t["id"] for t in reply.body["items"]]


def view_count(api: ApiClient, token: str, query: str) -> int:
    """The count a saved view with this query shows its creator (a key has no user: 'me' aside, the same)."""
    reply = api.post("/views", {"name": f"q {query}", "filters": {"q": query}}, token)
    assert reply.status == 201, reply.body
    return int(reply.body["count"])


def test_a_viewer_cannot_find_a_ticket_by_a_word_of_its_internal_note(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a ticket whose only mention of "zqn14c600" is an internal note
    ticket = open_ticket(api, workspace, "Refund request", "Please refund my order")
    comment(api, workspace, ticket, "refund code zqn14c600", public=False)
    pump.pump()
    tokens = callers(api, workspace)

    # WHEN each caller searches a prefix of the note's word
    # THEN only those who may read the note find the ticket, in the list and in a view's count
    for caller in NOTE_BLIND:
        assert search(api, tokens[caller], "zqn1") == [], caller
        assert search(api, tokens[caller], "refund zqn14c600") == [], caller
        assert view_count(api, tokens[caller], "zqn1") == 0, caller
    for caller in NOTE_READERS:
        assert search(api, tokens[caller], "zqn1") == [ticket], caller
        assert view_count(api, tokens[caller], "zqn1") == 1, caller
    # AND the ticket's own words still find it for everyone
    assert search(api, tokens["viewer"], "refun") == [ticket]


def test_public_replies_stay_searchable_for_everyone(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    ticket = open_ticket(api, workspace, "Printer", "It jams")
    comment(api, workspace, ticket, "Escalated to finance", public=True)
    pump.pump()
    assert search(api, workspace.token("viewer"), "financ") == [ticket]
    assert search(api, workspace.token("agent"), "financ") == [ticket]


def test_a_word_too_common_to_read_in_full_never_picks_candidates_from_notes(
    api: ApiClient, workspace: Workspace, pump: StreamPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import search as index

    # GIVEN "zqx" in the notes of several tickets, more than the index reads per word
    noted = [open_ticket(api, workspace, f"Case {n}", "nothing to see") for n in range(4)]
    for ticket in noted:
        comment(api, workspace, ticket, "zqxsecret", public=False)
    pump.pump()
    monkeypatch.setattr(index, "MAX_POSTINGS_PER_WORD", 2)

    # THEN a viewer's search, list or count, never sees them, nor that the word was cut short
    assert search(api, workspace.token("viewer"), "zqx") == []
    counted = api.post("/views", {"name": "zqx", "filters": {"q": "zqx"}}, workspace.token("viewer")).body
    assert (counted["count"], counted["count_capped"]) == (0, False)
    # AND an agent's does (best effort, as for any word cut short)
    assert api.post("/views", {"name": "zqx", "filters": {"q": "zqx"}}, workspace.token("agent")).body["count_capped"]


def test_a_search_cursor_serves_only_callers_who_match_the_same_postings(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    for n in range(3):
        open_ticket(api, workspace, f"Invoice {n}", "copy please")
    pump.pump()
    first = api.get("/tickets?q=invoice&limit=1", workspace.token("agent")).body
    assert first["next_cursor"]
    reused = api.get(f"/tickets?q=invoice&limit=1&cursor={first['next_cursor']}", workspace.token("viewer"))
    assert reused.status == 422 and reused.body["errors"][0]["field"] == "cursor"


WORD = st.text(alphabet="abqz", min_size=2, max_size=5)
TEXT = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


@st.composite
def conversations(draw: st.DrawFn) -> dict[str, Any]:
    """A ticket's public text, its internal note, and a query aimed mostly at the note."""
    subject, description, reply, note = draw(TEXT), draw(TEXT), draw(st.none() | TEXT), draw(TEXT)
    aimed = draw(st.sampled_from(sorted(words(note))))
    first = aimed[: draw(st.integers(min_value=2, max_value=len(aimed)))]
    extra = draw(st.none() | WORD)
    query = first if extra is None else f"{first} {extra}"
    return {"subject": subject, "description": description, "reply": reply, "note": note, "query": query}


def matching(texts: dict[str, list[str]], query: str) -> set[str]:
    """The reference: tickets with, for every query word, an indexed word it begins."""
    found = {ticket: set().union(*(words(t) for t in ticket_texts)) for ticket, ticket_texts in texts.items()}
    return {
        t
        for t, vocabulary in found.items()
        if all(any(w.startswith(q) for w in vocabulary) for q in query_words(query))
    }


@pytest.mark.parametrize("postings_read", [None, 2], ids=["every posting read", "words cut short"])
def test_no_one_without_the_notes_permission_finds_a_ticket_only_through_a_note(
    api: ApiClient,
    workspace: Workspace,
    pump: StreamPump,
    monkeypatch: pytest.MonkeyPatch,
    postings_read: int | None,
) -> None:
    from chalicelib.data import search as index

    if postings_read is not None:  # words become "too common": candidates are picked and verified on text
        monkeypatch.setattr(index, "MAX_POSTINGS_PER_WORD", postings_read)
    tokens = callers(api, workspace)
    public: dict[str, list[str]] = {}  # ticket -> the texts anyone may read
    everything: dict[str, list[str]] = {}  # ticket -> those and its internal notes

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(conversations())
    def check(case: dict[str, Any]) -> None:
        # GIVEN one more ticket with a note (and maybe a public reply) in the same workspace
        ticket = open_ticket(api, workspace, case["subject"], case["description"])
        comment(api, workspace, ticket, case["note"], public=False)
        public[ticket] = [case["subject"], case["description"]]
        if case["reply"]:
            comment(api, workspace, ticket, case["reply"], public=True)
            public[ticket].append(case["reply"])
        everything[ticket] = [*public[ticket], case["note"]]
        pump.pump()

        # WHEN each caller searches
        for caller in NOTE_BLIND:
            found = set(search(api, tokens[caller], case["query"]))
            # THEN nobody without the notes permission gets a ticket its public text does not explain
            assert found <= matching(public, case["query"]), (caller, case)
            if postings_read is None:  # AND with every posting read, the answer is exact, count included
                assert found == matching(public, case["query"]), (caller, case)
                assert view_count(api, tokens[caller], case["query"]) == len(found), (caller, case)
        if postings_read is None:
            for caller in ("agent", "writer key"):
                assert set(search(api, tokens[caller], case["query"])) == matching(everything, case["query"])

    check()


def test_comment_postings_from_before_notes_were_told_apart_match_only_for_note_readers_until_retagged(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    from chalicelib.data import identity, keys
    from chalicelib.data.models import SearchTermItem
    from chalicelib.services.search import retag_comment_postings

    # GIVEN two tickets whose reply and note were indexed the old way: one posting source "c" for both
    tickets = [open_ticket(api, workspace, f"Order {n}", "late") for n in range(2)]
    pump.pump()
    for n, ticket in enumerate(tickets):
        comment(api, workspace, ticket, f"shipped by ykreply{n}", public=True)
        comment(api, workspace, ticket, f"refund code ykzzz{n}", public=False)
    pump.pump(handlers=("realtime",))  # the stream passes without indexing them
    for n, ticket in enumerate(tickets):
        for word in ("shipped", "by", f"ykreply{n}", "refund", "code", f"ykzzz{n}"):
            SearchTermItem(
                keys.search_bucket(workspace.tenant_id, word), f"{word}#{ticket}#c", ticket_id=ticket, weight=1
            ).save()
    viewer, agent = workspace.token("viewer"), workspace.token("agent")
    # (a workspace indexed that long ago also predates ranked postings: it searches by prefix until backfilled)
    from chalicelib.data.models import RegistryEntry
    from chalicelib.services import search as search_service

    RegistryEntry(*keys.registry_entry(workspace.tenant_id)).update(
        actions=[RegistryEntry.ranked_postings_ready.set(False)]
    )
    search_service._ready.clear()

    # THEN those postings match for note readers only: a viewer loses the reply, never sees the note
    assert search(api, viewer, "ykrep") == [] and search(api, viewer, "ykzz") == []
    assert set(search(api, agent, "ykrep")) == set(search(api, agent, "ykzz")) == set(tickets)

    # WHEN the scheduled upkeep retags them, one ticket per run
    [entry] = [e for e in identity.all_registry_entries() if e.tenant_id == workspace.tenant_id]
    assert retag_comment_postings(entry, budget=1) == 1 and not entry.comment_postings_tagged
    assert search(api, viewer, "ykrep") == [tickets[0]]
    assert retag_comment_postings(entry, budget=1) == 1 and retag_comment_postings(entry, budget=1) == 0
    assert entry.comment_postings_tagged

    # THEN replies match for everyone, notes for note readers, and no posting of unknown origin is left
    assert set(search(api, viewer, "ykrep")) == set(tickets) and search(api, viewer, "ykzz") == []
    assert set(search(api, agent, "ykzz")) == set(tickets)
    for ticket in tickets:
        for word in ("shipped", "ykzzz0", "ykzzz1", "ykreply0", "ykreply1"):
            assert (
                SearchTermItem.count(
                    keys.search_bucket(workspace.tenant_id, word), SearchTermItem.sk == f"{word}#{ticket}#c"
                )
                == 0
            )


def test_a_new_workspace_has_nothing_to_retag(api: ApiClient, workspace: Workspace) -> None:
    # its comment postings are written with their source from the first reply: the scheduled upkeep would
    # otherwise read every ticket of it again, 300 per run (each with its whole conversation), for nothing
    from chalicelib.data import identity

    [entry] = [e for e in identity.all_registry_entries() if e.tenant_id == workspace.tenant_id]
    assert entry.comment_postings_tagged and entry.ranked_postings_ready and entry.list_keys_ready
