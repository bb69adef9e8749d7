"""Replies that do the job (issue 17, item 5): Markdown shown and emailed as sanitised HTML with a plain
alternative, attachments uploaded straight to S3 by presigned POST and taken only once they exist, CC on
public replies (validated, on the email, kept on the comment)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.api.client import ApiClient, Workspace, latest_email_to
from tests.api.notifications_support import QueuePump, deliver, overridden_settings
from tests.api.streams import StreamPump


@pytest.fixture
def queue(api: ApiClient) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def new_ticket(api: ApiClient, workspace: Workspace, requester: str) -> dict[str, Any]:
    created = api.post(
        "/tickets",
        {"subject": "Invoice copy", "description": "Please", "requester": {"email": requester, "name": "Ada"}},
        workspace.token("agent"),
    )
    assert created.status == 201, created.body
    return created.body  # type: ignore[no-any-return]


def upload(api: ApiClient, workspace: Workspace, ticket_id: str, content: bytes, declared: int | None = None,
           filename: str = "invoice.pdf", content_type: str = "application/pdf") -> str:  # fmt: skip
    started = api.post(
        f"/tickets/{ticket_id}/uploads",
        {"filename": filename, "content_type": content_type, "size": declared or len(content)},
        workspace.token("agent"),
    )
    assert started.status == 201, started.body
    answer = requests.post(
        started.body["url"], data=started.body["fields"], files={"file": (filename, content)}, timeout=10
    )
    assert answer.status_code in (200, 201, 204), answer.text
    return str(started.body["id"])


def test_a_markdown_reply_is_shown_and_emailed_as_sanitised_html_with_a_plain_alternative(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a ticket from a customer
    requester = f"ada-{workspace.slug}@example.org"
    ticket = new_ticket(api, workspace, requester)
    source = "Hi **Ada**,\n\n- step one\n- [the guide](https://example.org/guide)\n\n<script>alert(1)</script>"

    # WHEN an agent replies in Markdown
    reply = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": source, "format": "markdown"}, workspace.token("agent")
    )

    # THEN the comment keeps the source and carries its sanitised rendering
    assert reply.status == 201, reply.body
    comment = reply.body["comment"]
    assert comment["format"] == "markdown" and comment["body"] == source
    assert "<strong>Ada</strong>" in comment["body_html"] and "<li>step one</li>" in comment["body_html"]
    assert "<script>" not in comment["body_html"]
    read = api.get(f"/tickets/{ticket['id']}", workspace.token("viewer")).body
    assert read["comments"][0]["body_html"] == comment["body_html"]
    # AND the requester's email has the same HTML and the Markdown source as its plain part
    deliver(pump, queue)
    mail = latest_email_to(requester)
    html_part = mail.get_body(preferencelist=("html",))
    text_part = mail.get_body(preferencelist=("plain",))
    assert html_part is not None and text_part is not None
    assert "<strong>Ada</strong>" in html_part.get_content() and "<script>" not in html_part.get_content()
    assert "**Ada**" in text_part.get_content()


def test_a_plain_reply_stays_text(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace, f"bo-{workspace.slug}@example.org")
    reply = api.post(f"/tickets/{ticket['id']}/comments", {"body": "**not bold**"}, workspace.token("agent"))
    assert reply.body["comment"]["format"] == "text" and reply.body["comment"]["body_html"] is None


def test_a_reply_with_an_uploaded_attachment_and_cc_reaches_everyone_with_the_file(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a ticket and a file uploaded to S3 through the presigned POST
    requester = f"cy-{workspace.slug}@example.org"
    cc = f"boss-{workspace.slug}@example.org"
    ticket = new_ticket(api, workspace, requester)
    upload_id = upload(api, workspace, ticket["id"], b"%PDF-1.4 invoice")

    # WHEN the agent replies with it and a CC
    reply = api.post(
        f"/tickets/{ticket['id']}/comments",
        {"body": "Attached.", "cc": [cc], "attachments": [upload_id]},
        workspace.token("agent"),
    )

    # THEN the comment lists the file and the CC
    assert reply.status == 201, reply.body
    comment = reply.body["comment"]
    assert comment["cc"] == [cc]
    assert [(a["id"], a["filename"], a["size"]) for a in comment["attachments"]] == [
        (upload_id, "invoice.pdf", len(b"%PDF-1.4 invoice"))
    ]
    # AND it downloads like an inbound attachment: a short-lived link served as a download
    link = api.get(f"/tickets/{ticket['id']}/attachments/{upload_id}", workspace.token("viewer"))
    assert link.status == 200 and "response-content-disposition=attachment" in link.body["url"]
    # AND one email goes to the requester with the CC and the file
    deliver(pump, queue)
    mail = latest_email_to(requester)
    assert cc in str(mail["Cc"])
    files = [(part.get_filename(), part.get_content()) for part in mail.iter_attachments()]
    assert files == [("invoice.pdf", b"%PDF-1.4 invoice")]
    # AND the same upload cannot be attached twice
    again = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Again", "attachments": [upload_id]}, workspace.token("agent")
    )
    assert again.status == 422 and again.body["errors"][0]["field"] == "attachments"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "x.exe", "content_type": "application/x-msdownload", "size": 10}, "content_type"),
        ({"filename": "big.pdf", "content_type": "application/pdf", "size": 10 * 1024 * 1024 + 1}, "size"),
        ({"filename": "zero.pdf", "content_type": "application/pdf", "size": 0}, "size"),
        ({"filename": "a\nb.pdf", "content_type": "application/pdf", "size": 3}, "filename"),
    ],
)
def test_an_upload_outside_the_limits_is_refused_before_any_url_is_given(
    api: ApiClient, workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    ticket = new_ticket(api, workspace, f"d-{workspace.slug}@example.org")
    answer = api.post(f"/tickets/{ticket['id']}/uploads", body, workspace.token("agent"))
    assert answer.status == 422, answer.body
    assert [e["field"] for e in answer.body["errors"]] == [field]


def test_the_presigned_post_binds_the_key_type_and_size(api: ApiClient, workspace: Workspace) -> None:
    import base64
    import json

    ticket = new_ticket(api, workspace, f"e-{workspace.slug}@example.org")
    started = api.post(
        f"/tickets/{ticket['id']}/uploads",
        {"filename": "a.png", "content_type": "image/png", "size": 42},
        workspace.token("agent"),
    ).body
    policy = json.loads(base64.b64decode(started["fields"]["policy"]))
    assert {"key": f"{workspace.tenant_id}/tickets/{ticket['id']}/attachments/{started['id']}"} in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert ["content-length-range", 42, 42] in policy["conditions"]


def test_an_upload_is_taken_only_once_it_exists_with_the_declared_size(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace, f"f-{workspace.slug}@example.org")
    # GIVEN an upload started but never sent to S3
    started = api.post(
        f"/tickets/{ticket['id']}/uploads",
        {"filename": "a.pdf", "content_type": "application/pdf", "size": 5},
        workspace.token("agent"),
    ).body
    missing = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "x", "attachments": [started["id"]]}, workspace.token("agent")
    )
    assert missing.status == 422 and "not uploaded" in missing.body["errors"][0]["message"]
    # AND one whose bytes differ from what was declared (S3 enforces the policy; the check holds without it)
    wrong = upload(api, workspace, ticket["id"], b"longer than declared", declared=5)
    refused = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "x", "attachments": [wrong]}, workspace.token("agent")
    )
    assert refused.status == 422
    # THEN nothing was written
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []


def test_an_upload_belongs_to_its_ticket_and_its_uploader(api: ApiClient, workspace: Workspace) -> None:
    first = new_ticket(api, workspace, f"g-{workspace.slug}@example.org")
    second = new_ticket(api, workspace, f"h-{workspace.slug}@example.org")
    upload_id = upload(api, workspace, first["id"], b"data")
    elsewhere = api.post(
        f"/tickets/{second['id']}/comments", {"body": "x", "attachments": [upload_id]}, workspace.token("agent")
    )
    assert elsewhere.status == 422
    someone_else = api.post(
        f"/tickets/{first['id']}/comments", {"body": "x", "attachments": [upload_id]}, workspace.token("lead")
    )
    assert someone_else.status == 422


def test_another_workspace_cannot_start_an_upload_on_a_ticket(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    ticket = new_ticket(api, workspace, f"i-{workspace.slug}@example.org")
    answer = api.post(
        f"/tickets/{ticket['id']}/uploads",
        {"filename": "a.pdf", "content_type": "application/pdf", "size": 3},
        other_workspace.token("agent"),
    )
    assert answer.status == 404


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"cc": ["not-an-address"]}, "email"),
        ({"cc": ["x@example.org"], "public": False}, "only for public replies"),
        ({"cc": ["x@example.org", "X@example.org"]}, "twice"),
    ],
)
def test_cc_is_validated(api: ApiClient, workspace: Workspace, extra: dict[str, Any], message: str) -> None:
    ticket = new_ticket(api, workspace, f"j-{workspace.slug}@example.org")
    answer = api.post(f"/tickets/{ticket['id']}/comments", {"body": "x", **extra}, workspace.token("agent"))
    assert answer.status == 422, answer.body
    assert answer.body["errors"][0]["field"].startswith("cc") and message in answer.body["errors"][0]["message"]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []


def test_the_requester_cannot_be_cc(api: ApiClient, workspace: Workspace) -> None:
    requester = f"k-{workspace.slug}@example.org"
    ticket = new_ticket(api, workspace, requester)
    answer = api.post(f"/tickets/{ticket['id']}/comments", {"body": "x", "cc": [requester]}, workspace.token("agent"))
    assert answer.status == 422 and answer.body["errors"][0]["field"] == "cc"


def _a_colleague_edits(tenant_id: str, ticket_id: str) -> None:
    """Moves the ticket to a new version between the reply's read and its commit, as a colleague's save would."""
    from chalicelib.data import keys
    from chalicelib.data.models import TicketItem

    stored = TicketItem.get(keys.ticket(tenant_id, ticket_id), keys.TICKET_SK, consistent_read=True)
    stored.update(actions=[TicketItem.subject.set(f"{stored.subject}.")])


def test_a_reply_that_cannot_be_saved_leaves_its_upload_claimable_and_a_saved_one_takes_it_once(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import reply_uploads
    from chalicelib.services import comments

    # GIVEN an uploaded file, and a ticket a colleague saves again between every read and commit
    ticket = new_ticket(api, workspace, f"dee-{workspace.slug}@example.org")
    upload_id = upload(api, workspace, ticket["id"], b"%PDF-1.4 contract")
    real_sla_context = comments.sla_context

    def racing_sla_context(tenant_id: str) -> Any:
        _a_colleague_edits(tenant_id, ticket["id"])
        return real_sla_context(tenant_id)

    monkeypatch.setattr(comments, "sla_context", racing_sla_context)
    monkeypatch.setattr("chalicelib.data.ticket_changes.backoff", lambda number: None)

    # WHEN the reply loses every race
    lost = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Signed", "attachments": [upload_id]}, workspace.token("agent")
    )

    # THEN it is refused, no comment is saved, and the upload is still there to be attached
    assert lost.status == 409, lost.body
    assert reply_uploads.get_pending(workspace.tenant_id, ticket["id"], upload_id) is not None
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []

    # WHEN the colleague stops and the agent sends again
    monkeypatch.setattr(comments, "sla_context", real_sla_context)
    sent = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Signed", "attachments": [upload_id]}, workspace.token("agent")
    )

    # THEN the reply carries the file and the upload is taken: a second reply cannot take it again
    assert sent.status == 201, sent.body
    assert [a["id"] for a in sent.body["comment"]["attachments"]] == [upload_id]
    assert reply_uploads.get_pending(workspace.tenant_id, ticket["id"], upload_id) is None
    again = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Again", "attachments": [upload_id]}, workspace.token("agent")
    )
    assert again.status == 422 and again.body["errors"][0]["field"] == "attachments"
    listed = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"]
    assert [c["body"] for c in listed] == ["Signed"]


def test_of_two_replies_racing_for_one_upload_only_one_is_saved(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import reply_uploads
    from chalicelib.services import comments

    # GIVEN an uploaded file that another reply takes after this reply checked it, before it commits
    ticket = new_ticket(api, workspace, f"eve-{workspace.slug}@example.org")
    upload_id = upload(api, workspace, ticket["id"], b"%PDF-1.4 quote")
    real_sla_context = comments.sla_context

    def other_reply_takes_it(tenant_id: str) -> Any:
        pending = reply_uploads.get_pending(tenant_id, ticket["id"], upload_id)
        if pending is not None:
            pending.delete()
        return real_sla_context(tenant_id)

    monkeypatch.setattr(comments, "sla_context", other_reply_takes_it)

    # WHEN this reply commits
    lost = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Quote", "attachments": [upload_id]}, workspace.token("agent")
    )

    # THEN it is told the file was taken, and nothing of it is saved
    assert lost.status == 422 and "another reply took" in lost.body["errors"][0]["message"], lost.body
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"] == []
