"""A reply that does the job, in the browser (issue 17, item 5): Markdown from the toolbar, a file uploaded
straight to storage, a CC, Ctrl+Enter to send; the draft survives leaving the page; the email in the
outbox carries the formatted HTML, the plain text, the CC and the file. axe finds nothing at any width."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, sign_in
from tests.e2e.test_accessibility import settled, violations
from tests.integration.mail import emails_to, eventually


def leave_and_come_back(page: Page) -> None:
    """To the ticket list and back inside the app (the ticket page is unmounted in between)."""
    page.locator("a.brand").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Need last month's invoice")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Need last month's invoice")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_formatted_reply_with_a_file_and_a_cc_reaches_the_outbox(
    open_page: OpenPage, workspace: Workspace, api: Api, stack: LocalStack, width: int, tmp_path: object
) -> None:
    customer = f"rae-{uuid.uuid4().hex[:8]}@customer.example"
    boss = f"boss-{uuid.uuid4().hex[:8]}@customer.example"
    ticket = api.call(
        "POST",
        "/tickets",
        workspace.tokens["admin"],
        {"subject": "Need last month's invoice", "description": "Please send it", "requester": {"email": customer}},
    )
    page = open_page(width=width).page
    sign_in(page, workspace, "agent")
    page.goto(f"/tickets/{ticket['id']}")
    settled(page)

    # GIVEN a draft typed, then the page left and opened again: the draft is still there
    box = page.get_by_label("Public reply to the requester")
    box.fill("Here it is, ")
    leave_and_come_back(page)
    expect(box).to_have_value("Here it is, ")

    # WHEN the agent makes a word bold from the toolbar, attaches a file, adds a CC
    box.press("End")
    page.get_by_role("button", name="Bold").click()
    expect(box).to_have_value("Here it is, **bold text**")
    box.fill("Here it is, **as promised**.\n\n- invoice attached")
    page.get_by_label("Cc", exact=True).fill(boss)
    page.locator("input[type=file]").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 the invoice"}
    )
    expect(page.get_by_role("list", name="Attachments")).to_contain_text("ready")
    assert violations(page) == []
    # AND sends with Ctrl+Enter
    box.press("Control+Enter")

    # THEN the reply shows formatted, with its file and its CC
    reply = page.get_by_role("article", name=re.compile("^Public reply by Arjun Agent"))
    expect(reply.locator("strong")).to_have_text("as promised")
    expect(reply).to_contain_text("invoice.pdf")
    expect(reply).to_contain_text(f"Cc: {boss}")
    expect(box).to_have_value("")
    assert violations(page) == []
    # AND the email carries the HTML, the Markdown as plain text, the CC and the file
    sent = eventually(
        lambda: [m for m in emails_to(stack, customer) if "as promised" in (m["text"] or "")], what="the reply"
    )[-1]
    assert "<strong>as promised</strong>" in sent["html"] and "<li>invoice attached</li>" in sent["html"]
    assert "**as promised**" in sent["text"]
    assert sent["cc"] == [boss]
    assert sent["attachments"] == ["invoice.pdf"]
    # AND the draft is gone once sent
    leave_and_come_back(page)
    expect(page.get_by_label("Public reply to the requester")).to_have_value("")
    if width == WIDTHS["desktop"]:
        page.screenshot(path="/tmp/p/reply-desktop.png", full_page=True)
    if width == WIDTHS["phone"]:
        page.screenshot(path="/tmp/p/reply-phone.png", full_page=True)
