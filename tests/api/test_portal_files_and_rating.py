"""The portal, finished (issue 15): files on replies and new requests (the agents' presigned S3 POST, an
inbound email's limits, taken in the message's own transaction, downloaded only by whoever may see
them), "How did we do?" asked in the portal (the same typed rating as the emailed link), and a web-form
link that survives a request that could not be saved."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.api.client import ApiClient, Workspace
from tests.api.portal_support import emailed_token, new_requester
from tests.api.streams import StreamPump


def send_file(started: dict[str, Any], content: bytes, filename: str = "screenshot.png") -> None:
    answer = requests.post(started["url"], data=started["fields"], files={"file": (filename, content)}, timeout=10)
    assert answer.status_code in (200, 201, 204), answer.text


def reply_upload(api: ApiClient, slug: str, token: str, ticket_id: str, content: bytes, **declared: Any) -> str:
    body = {"filename": "screenshot.png", "content_type": "image/png", "size": len(content), **declared}
    started = api.post(f"/portal/{slug}/requests/{ticket_id}/uploads", body, token)
    assert started.status == 201, started.body
    assert started.body["request_id"] == ticket_id
    send_file(started.body, content)
    return str(started.body["id"])


def solve_as_agent(api: ApiClient, workspace: Workspace, ticket_id: str) -> None:
    agent = workspace.token("agent")
    version = api.get(f"/tickets/{ticket_id}", agent).body["ticket"]["version"]
    solved = api.patch(f"/tickets/{ticket_id}", {"status": "solved", "version": version}, agent)
    assert solved.status == 200, solved.body


# --- files on replies -----------------------------------------------------------------------------


def test_a_portal_reply_carries_an_uploaded_file_the_agent_and_the_requester_download(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a requester who uploaded a file for a reply on their request
    token, ticket = new_requester(api, workspace, pump, "fay@acme.example")
    slug = workspace.slug
    upload_id = reply_upload(api, slug, token, ticket["id"], b"\x89PNG fake")

    # WHEN they reply with it
    replied = api.post(
        f"/portal/{slug}/requests/{ticket['id']}/replies", {"body": "Here it is", "attachments": [upload_id]}, token
    )

    # THEN the message lists the file, for them and for the agent
    assert replied.status == 201, replied.body
    listed = [(a["id"], a["filename"], a["size"]) for a in replied.body["message"]["attachments"]]
    assert listed == [(upload_id, "screenshot.png", len(b"\x89PNG fake"))]
    agent_comment = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"][-1]
    assert [a["id"] for a in agent_comment["attachments"]] == [upload_id]
    # AND both download it as an attachment through a short-lived link
    mine = api.get(f"/portal/{slug}/requests/{ticket['id']}/attachments/{upload_id}", token)
    assert mine.status == 200, mine.body
    assert "response-content-disposition=attachment" in mine.body["url"]
    assert requests.get(mine.body["url"], timeout=10).content == b"\x89PNG fake"
    theirs = api.get(f"/tickets/{ticket['id']}/attachments/{upload_id}", workspace.token("agent"))
    assert theirs.status == 200
    # AND the same upload is not taken twice
    again = api.post(
        f"/portal/{slug}/requests/{ticket['id']}/replies", {"body": "Again", "attachments": [upload_id]}, token
    )
    assert again.status == 422 and again.body["errors"][0]["field"] == "attachments"


def test_a_reply_naming_a_file_not_uploaded_yet_writes_nothing_and_keeps_the_upload(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, ticket = new_requester(api, workspace, pump, "gus@acme.example")
    slug = workspace.slug
    started = api.post(
        f"/portal/{slug}/requests/{ticket['id']}/uploads",
        {"filename": "log.txt", "content_type": "text/plain", "size": 4},
        token,
    ).body

    # WHEN the reply names it before the bytes are in S3
    early = api.post(
        f"/portal/{slug}/requests/{ticket['id']}/replies", {"body": "Log", "attachments": [started["id"]]}, token
    )

    # THEN nothing is written, and once uploaded the same id goes through
    assert early.status == 422 and "not uploaded" in early.body["errors"][0]["message"]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []
    send_file(started, b"boom", "log.txt")
    late = api.post(
        f"/portal/{slug}/requests/{ticket['id']}/replies", {"body": "Log", "attachments": [started["id"]]}, token
    )
    assert late.status == 201, late.body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "x.exe", "content_type": "application/x-msdownload", "size": 10}, "content_type"),
        ({"filename": "big.pdf", "content_type": "application/pdf", "size": 10 * 1024 * 1024 + 1}, "size"),
        ({"filename": "zero.pdf", "content_type": "application/pdf", "size": 0}, "size"),
        ({"filename": "a\nb.pdf", "content_type": "application/pdf", "size": 3}, "filename"),
    ],
)
def test_a_file_outside_an_inbound_emails_limits_is_refused_before_any_url(
    api: ApiClient, workspace: Workspace, pump: StreamPump, body: dict[str, Any], field: str
) -> None:
    token, ticket = new_requester(api, workspace, pump, f"lim-{field}@acme.example")
    for path in (f"/portal/{workspace.slug}/requests/{ticket['id']}/uploads", f"/portal/{workspace.slug}/uploads"):
        answer = api.post(path, body, token)
        assert answer.status == 422, answer.body
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert [e["field"] for e in answer.body["errors"]] == [field]


def test_files_together_past_an_inbound_emails_size_are_refused(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    from tests.api.notifications_support import overridden_settings

    token, ticket = new_requester(api, workspace, pump, "hugo@acme.example")
    slug = workspace.slug
    with overridden_settings(PULSEDESK_INBOUND_MAX_MESSAGE_BYTES="10"):
        ids = [reply_upload(api, slug, token, ticket["id"], b"123456") for _ in range(2)]
        answer = api.post(f"/portal/{slug}/requests/{ticket['id']}/replies", {"body": "x", "attachments": ids}, token)
    assert answer.status == 422 and answer.body["errors"][0]["field"] == "attachments"
    assert "10 bytes" in answer.body["errors"][0]["message"]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []


def test_a_requester_takes_only_their_own_uploads_on_their_own_requests(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    ivy, ivy_ticket = new_requester(api, workspace, pump, "ivy@acme.example")
    joe, joe_ticket = new_requester(api, workspace, pump, "joe@acme.example")
    slug = workspace.slug
    ivys_file = reply_upload(api, slug, ivy, ivy_ticket["id"], b"ivy's")

    # another requester can neither upload to, nor take a file of, nor download from Ivy's request
    denied_start = api.post(
        f"/portal/{slug}/requests/{ivy_ticket['id']}/uploads",
        {"filename": "a.png", "content_type": "image/png", "size": 3},
        joe,
    )
    assert denied_start.status == 404
    taken_elsewhere = api.post(
        f"/portal/{slug}/requests/{joe_ticket['id']}/replies", {"body": "x", "attachments": [ivys_file]}, joe
    )
    assert taken_elsewhere.status == 422
    # an agent cannot take a requester's pending upload either
    by_agent = api.post(
        f"/tickets/{ivy_ticket['id']}/comments", {"body": "x", "attachments": [ivys_file]}, workspace.token("agent")
    )
    assert by_agent.status == 422
    assert (
        api.post(
            f"/portal/{slug}/requests/{ivy_ticket['id']}/replies", {"body": "mine", "attachments": [ivys_file]}, ivy
        ).status
        == 201
    )
    assert api.get(f"/portal/{slug}/requests/{ivy_ticket['id']}/attachments/{ivys_file}", joe).status == 404


def test_a_requester_never_downloads_an_internal_notes_file(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    from tests.api.test_replies import upload

    token, ticket = new_requester(api, workspace, pump, "kim@acme.example")
    agent = workspace.token("agent")
    note_file = upload(api, workspace, ticket["id"], b"internal")
    public_file = upload(api, workspace, ticket["id"], b"public", filename="answer.pdf")
    note = {"body": "note", "public": False, "attachments": [note_file]}
    assert api.post(f"/tickets/{ticket['id']}/comments", note, agent).status == 201
    answer = {"body": "see", "attachments": [public_file]}
    assert api.post(f"/tickets/{ticket['id']}/comments", answer, agent).status == 201

    base = f"/portal/{workspace.slug}/requests/{ticket['id']}/attachments"
    assert api.get(f"{base}/{public_file}", token).status == 200
    hidden = api.get(f"{base}/{note_file}", token)
    assert hidden.status == 404 and hidden.headers["Content-Type"] == "application/problem+json"


# --- files on new requests ------------------------------------------------------------------------


def test_a_new_request_carries_files_uploaded_before_it_exists(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, _ = new_requester(api, workspace, pump, "lou@acme.example")
    slug = workspace.slug
    # GIVEN two files started for a request not sent yet (the first chooses its id, the second names it)
    first = api.post(f"/portal/{slug}/uploads", {"filename": "a.png", "content_type": "image/png", "size": 3}, token)
    assert first.status == 201, first.body
    request_id = first.body["request_id"]
    second = api.post(
        f"/portal/{slug}/uploads",
        {"filename": "b.pdf", "content_type": "application/pdf", "size": 4, "request_id": request_id},
        token,
    )
    assert second.status == 201 and second.body["request_id"] == request_id
    send_file(first.body, b"png", "a.png")
    send_file(second.body, b"%PDF", "b.pdf")

    # WHEN the request is sent naming them
    body = {
        "subject": "Broken chart",
        "description": "See files",
        "request_id": request_id,
        "attachments": [first.body["id"], second.body["id"]],
    }
    created = api.post(f"/portal/{slug}/requests", body, token)

    # THEN the request is opened under that id, listing both, and they download
    assert created.status == 201, created.body
    assert created.body["id"] == request_id
    assert [a["filename"] for a in created.body["attachments"]] == ["a.png", "b.pdf"]
    as_agent = api.get(f"/tickets/{request_id}", workspace.token("agent")).body["ticket"]
    assert [a["id"] for a in as_agent["attachments"]] == [first.body["id"], second.body["id"]]
    link = api.get(f"/portal/{slug}/requests/{request_id}/attachments/{second.body['id']}", token)
    assert link.status == 200 and requests.get(link.body["url"], timeout=10).content == b"%PDF"
    # AND the id cannot be used for more files, nor sent again
    more = api.post(
        f"/portal/{slug}/uploads",
        {"filename": "c.png", "content_type": "image/png", "size": 3, "request_id": request_id},
        token,
    )
    assert more.status == 422 and more.body["errors"][0]["field"] == "request_id"
    again = api.post(f"/portal/{slug}/requests", body, token)
    assert again.status == 422 and again.body["errors"][0]["field"] == "request_id"


def test_a_new_request_with_files_needs_their_request_id_and_writes_nothing_without(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, _ = new_requester(api, workspace, pump, "mia@acme.example")
    slug = workspace.slug
    started = api.post(f"/portal/{slug}/uploads", {"filename": "a.png", "content_type": "image/png", "size": 3}, token)
    send_file(started.body, b"png", "a.png")
    before = api.get(f"/portal/{slug}/requests", token).body["items"]

    without_id = api.post(
        f"/portal/{slug}/requests", {"subject": "S", "description": "D", "attachments": [started.body["id"]]}, token
    )
    wrong_id = api.post(
        f"/portal/{slug}/requests",
        {"subject": "S", "description": "D", "attachments": [started.body["id"]], "request_id": "f" * 32},
        token,
    )

    assert without_id.status == 422 and without_id.body["errors"][0]["field"] == "request_id"
    assert wrong_id.status == 422 and wrong_id.body["errors"][0]["field"] == "attachments"
    assert api.get(f"/portal/{slug}/requests", token).body["items"] == before


def test_a_new_request_id_cannot_be_another_ticket(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    token, _ = new_requester(api, workspace, pump, "ned@acme.example")
    _, someone_elses = new_requester(api, workspace, pump, "oli@acme.example")
    answer = api.post(
        f"/portal/{workspace.slug}/uploads",
        {"filename": "a.png", "content_type": "image/png", "size": 3, "request_id": someone_elses["id"]},
        token,
    )
    assert answer.status == 422 and answer.body["errors"][0]["field"] == "request_id"


# --- "How did we do?" in the portal ---------------------------------------------------------------


def test_a_solved_request_is_rated_in_the_portal_and_the_last_answer_counts(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, ticket = new_requester(api, workspace, pump, "pam@acme.example")
    slug = workspace.slug
    path = f"/portal/{slug}/requests/{ticket['id']}"
    # GIVEN an open request: not asked yet, and an answer is refused
    assert api.get(path, token).body["rating_asked"] is False
    early = api.post(f"{path}/rating", {"rating": "good"}, token)
    assert early.status == 422 and early.body["errors"][0]["field"] == "rating"

    # WHEN the team solves it
    solve_as_agent(api, workspace, ticket["id"])
    asked = api.get(path, token).body
    assert asked["rating_asked"] is True and asked["request"]["rating"] is None

    # THEN good, then bad with a comment: the last counts, and the same answer again changes nothing
    good = api.post(f"{path}/rating", {"rating": "good"}, token)
    assert good.status == 200, good.body
    assert good.body["rating"]["rating"] == "good"
    bad = api.post(f"{path}/rating", {"rating": "bad", "comment": "Took a week"}, token)
    assert bad.body["rating"] == {"rating": "bad", "comment": "Took a week", "at": bad.body["rating"]["at"]}
    same = api.post(f"{path}/rating", {"rating": "bad", "comment": "Took a week"}, token)
    assert same.status == 200 and same.body["rating"] == bad.body["rating"]
    # AND agents see the typed rating, with the requester (in the portal) as its author in history
    agent = workspace.token("agent")
    seen = api.get(f"/tickets/{ticket['id']}", agent).body
    assert seen["ticket"]["csat"]["rating"] == "bad"
    history = api.get(f"/tickets/{ticket['id']}/history", agent).body["items"]
    rated = [h for h in history if any(c["field"] == "csat" for c in h["changes"])]
    assert len(rated) == 2
    assert all(h["actor"]["type"] == "requester" and h["actor"]["channel"] == "portal" for h in rated)
    # AND the request shows the given rating afterwards
    assert api.get(path, token).body["request"]["rating"]["comment"] == "Took a week"


def test_rating_is_refused_when_the_team_asks_no_more_and_for_anyone_elses_request(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, ticket = new_requester(api, workspace, pump, "quinn@acme.example")
    other, _ = new_requester(api, workspace, pump, "rob@acme.example")
    solve_as_agent(api, workspace, ticket["id"])
    path = f"/portal/{workspace.slug}/requests/{ticket['id']}"

    assert api.post(f"{path}/rating", {"rating": "good"}, other).status == 404
    bad_input = api.post(f"{path}/rating", {"rating": "meh"}, token)
    assert bad_input.status == 422 and bad_input.body["errors"][0]["field"] == "rating"
    assert api.put("/settings/csat", {"surveys_enabled": False}, workspace.token("admin")).status == 200
    assert api.get(path, token).body["rating_asked"] is False
    off = api.post(f"{path}/rating", {"rating": "good"}, token)
    assert off.status == 422 and off.body["errors"][0]["field"] == "rating"
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["csat"] is None


# --- the web form's link survives a failed request --------------------------------------------------


def test_a_web_form_link_still_works_when_opening_the_request_failed(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import store, ticket_changes
    from chalicelib.services import portal_requests

    slug = workspace.slug
    asked = api.post(
        f"/portal/{slug}/web-requests",
        {"email": "sue@acme.example", "name": "Sue", "subject": "Cannot log in", "description": "Help"},
    )
    assert asked.status == 202
    token = emailed_token("sue@acme.example")

    # GIVEN the ticket's transaction keeps losing (the request cannot be saved now)
    real_commit = portal_requests.commit

    def losing_commit(*args: Any, **kwargs: Any) -> Any:
        raise store.TransactionConflict(["ConditionalCheckFailed"])

    monkeypatch.setattr(portal_requests, "commit", losing_commit)
    monkeypatch.setattr(ticket_changes, "backoff", lambda attempt: None)
    failed = api.post(f"/portal/{slug}/web-requests/confirm", {"token": token})
    assert failed.status == 409, failed.body

    # WHEN the person clicks the link again once saving works
    monkeypatch.setattr(portal_requests, "commit", real_commit)
    confirmed = api.post(f"/portal/{slug}/web-requests/confirm", {"token": token})

    # THEN the request is opened, once; the link is spent now
    assert confirmed.status == 201, confirmed.body
    assert confirmed.body["request"]["subject"] == "Cannot log in"
    assert api.post(f"/portal/{slug}/web-requests/confirm", {"token": token}).status == 422
    assert len(api.get("/tickets?requester=sue@acme.example", workspace.token("agent")).body["items"]) == 1


def test_the_new_routes_reach_nothing_of_another_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    token, mine = new_requester(api, workspace, pump, "uma@acme.example")
    _, theirs = new_requester(api, other_workspace, pump, "uma@acme.example")  # the same person, elsewhere
    upload = {"filename": "a.png", "content_type": "image/png", "size": 3}
    for slug, ticket_id in ((other_workspace.slug, theirs["id"]), (workspace.slug, theirs["id"])):
        base = f"/portal/{slug}/requests/{ticket_id}"
        assert api.post(f"{base}/uploads", upload, token).status == 404
        assert api.post(f"{base}/rating", {"rating": "good"}, token).status == 404
        assert api.get(f"{base}/attachments/{'a' * 32}", token).status == 404
    assert api.post(f"/portal/{other_workspace.slug}/uploads", upload, token).status == 404
    assert api.get(f"/portal/{workspace.slug}/requests/{mine['id']}/attachments/{'a' * 32}", token).status == 404
