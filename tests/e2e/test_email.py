"""Email both ways in the browser: a customer's mail (sent over SMTP to the local server) is a ticket the agent
answers on the page; the answer leaves with threading headers; the customer's reply appears on the open page
without a reload. And the Email settings page: its test email loops through the real path, and axe finds nothing."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, sign_in, wait_until_live
from tests.e2e.test_accessibility import settled, violations
from tests.integration.mail import customer_mail, emails_to, eventually, send_smtp, support_address

ATTACHMENT = b"Serial number: PX-2231\nFirmware: 4.1.7\n"


def emailed_ticket(stack: LocalStack, api: Api, workspace: Workspace, customer: str, subject: str) -> dict[str, Any]:
    mail = customer_mail(support_address(stack, workspace.slug), subject, "The printer is smoking.", customer)
    mail.add_attachment(ATTACHMENT, maintype="text", subtype="plain", filename="printer-details.txt")
    send_smtp(stack, mail)

    def found() -> dict[str, Any] | None:
        listed = api.call("GET", f"/tickets?requester={customer}", workspace.tokens["admin"])["items"]
        return listed[0] if listed else None

    return eventually(found, what="the emailed ticket")


def test_the_agent_answers_an_email_and_the_customers_reply_appears_live(
    open_page: OpenPage, workspace: Workspace, api: Api, stack: LocalStack
) -> None:
    customer = f"ada-{uuid.uuid4().hex[:8]}@customer.example"
    # GIVEN a ticket opened by a customer's email, with a file attached
    ticket = emailed_ticket(stack, api, workspace, customer, "Printer smoking again")

    # WHEN the agent opens it in the browser
    page = open_page().page
    sign_in(page, workspace, "agent")
    wait_until_live(page)
    page.goto(f"/tickets/{ticket['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Printer smoking again")
    page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads
    # THEN the request shows it came by email, from whom, with its file
    request = page.get_by_role("article", name=f"Public reply by {customer}").first
    expect(request).to_contain_text(f"By email from {customer}")
    expect(request).to_contain_text("printer-details.txt")
    expect(request).to_contain_text("text/plain")
    # AND the file downloads through a short-lived link, as a download
    with page.expect_download() as download:
        page.get_by_role("button", name="Download printer-details.txt").click()
    assert download.value.suggested_filename == "printer-details.txt"
    assert download.value.path().read_bytes() == ATTACHMENT

    # WHEN the agent replies on the page
    page.get_by_label("Public reply to the requester").fill("Please unplug it; a technician is on the way.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("article", name=re.compile("^Public reply by Arjun Agent"))).to_contain_text(
        "technician is on the way"
    )
    # THEN the customer's copy carries the threading headers and the ticket's reply address
    sent = eventually(
        lambda: [m for m in emails_to(stack, customer) if "technician is on the way" in (m["text"] or "")],
        what="the reply in the outbox",
    )[-1]
    headers = sent["headers"]
    assert re.fullmatch(r"<[^<>@\s]+@[^<>\s]+>", headers["Message-ID"])
    assert headers["In-Reply-To"] == f"<ticket-{ticket['id']}@{stack.inbound_domain}>"
    assert headers["In-Reply-To"] in headers["References"]
    assert headers["Reply-To"].startswith("reply+") and headers["Reply-To"].endswith(f"@{stack.inbound_domain}")
    assert f"[#{ticket['number']}]" in sent["subject"]

    # WHEN the customer answers from their mail client (to the reply address, quoting the agent)
    answer = customer_mail(
        headers["Reply-To"],
        f"Re: {sent['subject']}",
        "Unplugged it, thank you!\n\nOn Tuesday, Support wrote:\n> Please unplug it; a technician is on the way.",
        customer,
        In_Reply_To=headers["Message-ID"],
        References=headers["References"] + " " + headers["Message-ID"],
    )
    send_smtp(stack, answer)
    # THEN it appears on the open page, without a reload, as the customer's emailed reply
    reply = page.get_by_role("article", name=f"Public reply by {customer}").filter(has_text="Unplugged it")
    expect(reply).to_be_visible(timeout=20_000)
    expect(reply).to_contain_text(f"By email from {customer}")
    expect(reply).not_to_contain_text("technician is on the way")  # the quoted history is stripped
    assert page.evaluate("window.__sameDocument === true")


@pytest.fixture(scope="module")
def email_settings(api: Api, workspace: Workspace) -> Any:
    admin = workspace.tokens["admin"]
    address = api.call("POST", "/settings/email/addresses", admin, {"name": "billing", "queue": "billing"})
    yield address
    api.call("DELETE", f"/settings/email/addresses/{address['id']}", admin)


def test_the_email_settings_page_loops_a_test_email_and_passes_axe(
    open_page: OpenPage, workspace: Workspace, stack: LocalStack, email_settings: Any
) -> None:
    page = open_page().page
    sign_in(page, workspace, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Email", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email")
    expect(page.locator("code", has_text=f"{workspace.slug}@{stack.inbound_domain}").first).to_be_visible()
    expect(page.get_by_role("cell", name=email_settings["address"], exact=True)).to_be_visible()

    # WHEN the admin sends the test email THEN the page links to the ticket it became
    started = time.monotonic()
    page.get_by_role("button", name="Send a test email").click()
    link = page.get_by_role("link", name=re.compile(r"^ticket #\d+$"))
    expect(link).to_be_visible(timeout=30_000)
    print(f"test email came back as a ticket in {time.monotonic() - started:.1f} s")

    report: dict[int, list[str]] = {}
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        settled(page)
        report[width] = violations(page)
    assert not any(report.values()), report

    link.click()
    expect(page).to_have_url(re.compile(r"/tickets/[0-9a-f]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pulsedesk test email")
    settled(page)
    assert violations(_with_width(page, WIDTHS["phone"])) == []


def _with_width(page: Page, width: int) -> Page:
    page.set_viewport_size({"width": width, "height": 900})
    return page
