from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.live_events import comment_event, presence_event, visible_to

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_internal_note_body_is_hidden_from_readers_without_access() -> None:
    files = [{"id": "a", "filename": "secret.pdf", "content_type": "application/pdf", "size": 1, "inline": False}]
    event = comment_event({"id": "c", "ticket_id": "t", "body": "secret", "public": False, "attachments": files}, None)
    assert visible_to(event, sees_internal=False)["comment"]["body"] is None
    assert visible_to(event, sees_internal=False)["comment"]["attachments"] == []
    assert visible_to(event, sees_internal=True)["comment"]["attachments"] == files
    assert visible_to(event, sees_internal=True)["comment"]["body"] == "secret"
    public = comment_event({"id": "c", "ticket_id": "t", "body": "hello", "public": True}, None)
    assert visible_to(public, sees_internal=False)["comment"]["body"] == "hello"


def test_presence_drops_quiet_viewers_and_merges_a_users_tabs() -> None:
    viewers = [
        {"user_id": "u1", "name": "Ann", "seen_at": NOW, "typing_until": None},
        {"user_id": "u1", "name": "Ann", "seen_at": NOW, "typing_until": NOW + timedelta(seconds=3)},
        {"user_id": "u2", "name": "Bob", "seen_at": NOW - timedelta(minutes=5), "typing_until": None},
    ]
    event = presence_event("t1", viewers, NOW)
    assert event == {"type": "presence", "ticket_id": "t1", "users": [{"id": "u1", "name": "Ann", "typing": True}]}


def test_agent_events_only_for_routing_profile_changes() -> None:
    from chalicelib.domain.live_events import agent_changed, agent_event

    user = {
        "id": "u",
        "name": "Ann",
        "role": "agent",
        "active": True,
        "availability": "online",
        "capacity": 5,
        "skills": [],
        "email": "a@example.com",
        "version": 1,
    }
    assert agent_changed(None, user)
    assert not agent_changed(user, {**user, "version": 2, "email": "b@example.com"})
    assert agent_changed(user, {**user, "availability": "away"})
    assert agent_event(user)["agent"] == {
        "user_id": "u",
        "name": "Ann",
        "role": "agent",
        "active": True,
        "availability": "online",
        "capacity": 5,
        "skills": [],
    }


def test_several_events_for_one_connection_travel_as_ordered_arrays_within_the_size_limit() -> None:
    import json

    from chalicelib.services.push import MAX_MESSAGE_BYTES, _messages

    single = list(_messages([{"type": "pong"}]))
    assert single == [(b'{"type":"pong"}', 1)]
    events = [{"type": "ticket.updated", "n": n, "pad": "x" * 2000} for n in range(120)]
    messages = list(_messages(events))
    assert len(messages) > 1 and all(len(m) <= MAX_MESSAGE_BYTES for m, _ in messages)
    assert [e["n"] for m, _ in messages for e in json.loads(m)] == list(range(120))
    assert sum(count for _, count in messages) == 120


def test_a_watchers_event_lists_who_follows_the_ticket_in_order() -> None:
    from chalicelib.domain.live_events import watchers_event

    assert watchers_event("tk1", ["u2", "u1"]) == {
        "type": "ticket.watchers",
        "ticket_id": "tk1",
        "watchers": ["u1", "u2"],
    }
