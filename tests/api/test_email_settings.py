"""The email-in settings routes, the test email's round trip, and attachment downloads."""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import parse_qs, urlparse

import boto3
import pytest

from tests.api.client import ApiClient, Workspace
from tests.api.inbound_mail import deliver, inbound_domain, message, support_address


def test_an_admin_reads_the_support_address_and_forwarding_instructions(api: ApiClient, workspace: Workspace) -> None:
    reply = api.get("/settings/email", workspace.token("admin"))
    assert reply.status == 200, reply.body
    assert reply.body["support_address"] == f"{workspace.slug}@{inbound_domain()}"
    assert reply.body["addresses"] == []
    assert reply.body["support_address"] in reply.body["forwarding_instructions"]


@pytest.mark.parametrize("role", ["lead", "agent", "viewer"])
def test_only_admins_see_or_change_email_settings(api: ApiClient, shared_workspace: Workspace, role: str) -> None:
    token = shared_workspace.token(role)
    assert api.get("/settings/email", token).status == 403
    assert api.post("/settings/email/addresses", {"name": "x", "queue": "x"}, token).status == 403
    assert api.post("/settings/email/test", None, token).status == 403


def test_addresses_are_added_listed_and_removed(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    created = api.post("/settings/email/addresses", {"name": "Billing", "queue": "billing"}, admin)
    assert created.status == 201, created.body
    assert created.body["address"] == f"{workspace.slug}+billing@{inbound_domain()}"
    assert created.body["queue"] == "billing"
    listed = api.get("/settings/email", admin).body["addresses"]
    assert [a["id"] for a in listed] == [created.body["id"]]
    again = api.post("/settings/email/addresses", {"name": "billing", "queue": "other"}, admin)
    assert again.status == 409 and again.body["field"] == "name"
    assert api.delete(f"/settings/email/addresses/{created.body['id']}", admin).status == 204
    assert api.get("/settings/email", admin).body["addresses"] == []
    assert api.delete(f"/settings/email/addresses/{created.body['id']}", admin).status == 404
    # a removed address opens nothing any more
    assert deliver(api, message(support_address(workspace.slug, "billing"))) == {"results": ["dropped"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "bad name", "queue": "billing"}, "name"),
        ({"name": "-x", "queue": "billing"}, "name"),
        ({"name": "a" * 31, "queue": "billing"}, "name"),
        ({"name": "billing", "queue": "Not A Queue"}, "queue"),
        ({"queue": "billing"}, "name"),
    ],
)
def test_a_bad_address_is_refused_naming_the_field(
    api: ApiClient, shared_workspace: Workspace, body: dict[str, str], field: str
) -> None:
    reply = api.post("/settings/email/addresses", body, shared_workspace.token("admin"))
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in str(reply.body)


def test_the_test_email_comes_back_as_a_ticket(api: ApiClient, workspace: Workspace) -> None:
    from tests.api.client import latest_email_to

    admin = workspace.token("admin")
    sent = api.post("/settings/email/test", None, admin)
    assert sent.status == 202, sent.body
    status = api.get(f"/settings/email/tests/{sent.body['message_id']}", admin)
    assert status.body == {"status": "sent", "ticket_id": None, "ticket_number": None}
    # what SES sent, delivered back to the inbound path (the local stack's SMTP server does this)
    outgoing = latest_email_to(f"{workspace.slug}@{inbound_domain()}")
    assert deliver(api, outgoing.as_bytes()) == {"results": ["created"]}
    status = api.get(f"/settings/email/tests/{sent.body['message_id']}", admin)
    assert status.body["status"] == "received" and status.body["ticket_number"] == 1
    ticket = api.get(f"/tickets/{status.body['ticket_id']}", admin).body["ticket"]
    assert ticket["subject"] == "Pulsedesk test email"
    assert "auto-reply" in ticket["tags"]  # from our own sender: nothing is sent back


def test_a_test_email_of_another_workspace_is_not_found(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    sent = api.post("/settings/email/test", None, workspace.token("admin"))
    assert api.get(f"/settings/email/tests/{sent.body['message_id']}", other_workspace.token("admin")).status == 404
    assert api.get("/settings/email/tests/not-a-test", workspace.token("admin")).status == 404


# --- attachments ---------------------------------------------------------------------------------


def with_attachments() -> EmailMessage:
    mail = message("placeholder", body="See attached.")
    mail.add_attachment(b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png", filename="screen.png")
    mail.add_attachment(b"<script>alert(1)</script>", maintype="text", subtype="html", filename="evil.html")
    return mail


def test_attachments_are_listed_and_downloaded_through_a_short_lived_link(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    from chalicelib.settings import get_settings

    mail = with_attachments()
    mail.replace_header("To", support_address(workspace.slug))
    deliver(api, mail)
    ticket = api.get("/tickets", workspace.token("viewer")).body["items"][0]
    files = {a["filename"]: a for a in ticket["attachments"]}
    assert set(files) == {"screen.png", "evil.html"}
    assert files["screen.png"]["content_type"] == "image/png" and files["screen.png"]["size"] == 12
    assert files["evil.html"]["inline"] is False

    for name, served in (("screen.png", "image/png"), ("evil.html", "application/octet-stream")):
        link = api.get(f"/tickets/{ticket['id']}/attachments/{files[name]['id']}", workspace.token("viewer"))
        assert link.status == 200, link.body
        assert link.body["filename"] == name
        params = parse_qs(urlparse(link.body["url"]).query)
        assert params["response-content-type"] == [served]
        assert params["response-content-disposition"][0].startswith("attachment;")
        assert int(params["X-Amz-Expires"][0]) <= 300
        # the bytes are stored under the workspace's prefix
        bucket = get_settings().attachments_bucket
        key = urlparse(link.body["url"]).path.lstrip("/").removeprefix(f"{bucket}/")
        assert key.startswith(f"{workspace.tenant_id}/")
        stored = boto3.client("s3", region_name="us-east-1").get_object(Bucket=bucket, Key=key)
        assert stored["ContentType"] == "application/octet-stream"

    # another workspace cannot reach it, even knowing both ids
    attachment_id = files["screen.png"]["id"]
    intruder = api.get(f"/tickets/{ticket['id']}/attachments/{attachment_id}", other_workspace.token("admin"))
    assert intruder.status == 404
    missing = api.get(f"/tickets/{ticket['id']}/attachments/nope", workspace.token("admin"))
    assert missing.status == 404


def test_a_reply_s_attachments_are_on_its_comment(api: ApiClient, workspace: Workspace) -> None:
    deliver(api, message(support_address(workspace.slug)))
    ticket = api.get("/tickets", workspace.token("agent")).body["items"][0]
    mail = with_attachments()
    mail.replace_header("To", support_address(workspace.slug))
    mail.replace_header("Subject", f"Re: [#{ticket['number']}]")
    assert deliver(api, mail) == {"results": ["commented"]}
    comment = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"][0]
    assert [a["filename"] for a in comment["attachments"]] == ["screen.png", "evil.html"]
    link = api.get(f"/tickets/{ticket['id']}/attachments/{comment['attachments'][0]['id']}", workspace.token("agent"))
    assert link.status == 200


def test_dropped_attachments_leave_a_note_on_the_ticket(api: ApiClient, workspace: Workspace) -> None:
    from tests.api.notifications_support import overridden_settings

    mail = message(support_address(workspace.slug), body="Two files.")
    mail.add_attachment(b"x" * 2000, maintype="application", subtype="zip", filename="big.zip")
    mail.add_attachment(b"small", maintype="text", subtype="plain", filename="small.txt")
    with overridden_settings(PULSEDESK_INBOUND_MAX_ATTACHMENT_BYTES="1000"):
        assert deliver(api, mail) == {"results": ["created"]}
    ticket = api.get("/tickets", workspace.token("agent")).body["items"][0]
    assert [a["filename"] for a in ticket["attachments"]] == ["small.txt"]
    [note] = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"]
    assert note["public"] is False and note["author"]["type"] == "system"
    assert "big.zip" in note["body"] and "1000-byte limit" in note["body"]


def test_a_30_mb_message_makes_a_ticket_without_its_oversize_attachment(api: ApiClient, workspace: Workspace) -> None:
    mail = message(support_address(workspace.slug), body="The log is attached.")
    mail.add_attachment(b"\x00" * (29 * 1024 * 1024), maintype="application", subtype="gzip", filename="log.gz")
    assert len(mail.as_bytes()) > 30_000_000
    assert deliver(api, mail) == {"results": ["created"]}
    ticket = api.get("/tickets", workspace.token("agent")).body["items"][0]
    assert ticket["description"] == "The log is attached." and ticket["attachments"] == []
    [note] = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["comments"]
    assert "log.gz" in note["body"]
