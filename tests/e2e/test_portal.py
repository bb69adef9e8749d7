"""The customer portal in Chromium: magic-link sign-in, my requests, a live request with reply and
mark solved, the public web form and its confirmation, the widget's iframe on a customer's site, and
axe-core (WCAG 2.1 A/AA) at phone, tablet and desktop widths."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace
from tests.e2e.test_accessibility import violations
from tests.integration.http import outbox

SHOTS = Path("/tmp/portal-shots")
_LINK = re.compile(r"(/portal/[a-z0-9-]+/(?:sign-in|confirm)#token=[A-Za-z0-9_\-]+)")
REQUESTER = "printer@customer.example"  # the workspace fixture's "printer" ticket is theirs
WAIT = 30.0  # a bound so a broken test cannot hang


def emailed_link(stack: LocalStack, address: str, after: int = 0) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        mails = [m for m in outbox(stack) if address in [a.lower() for a in m["to"]]]
        links = [found.group(1) for m in mails[after:] for found in [_LINK.search(m["text"] or "")] if found]
        if links:
            return links[-1]
        time.sleep(0.1)
    raise AssertionError(f"no portal link reached {address}")


def mails_to(stack: LocalStack, address: str) -> int:
    return sum(1 for m in outbox(stack) if address in [a.lower() for a in m["to"]])


@pytest.fixture(scope="module")
def requester(api: Api, workspace: Workspace) -> str:
    """The printer ticket's requester, a contact once the stream has run."""
    deadline = time.monotonic() + WAIT
    while not api.call("GET", f"/contacts?q={REQUESTER}", workspace.tokens["admin"])["items"]:
        assert time.monotonic() < deadline, "the contact never appeared"
        time.sleep(0.2)
    return REQUESTER


def portal_sign_in(page: Page, stack: LocalStack, workspace: Workspace, address: str) -> None:
    before = mails_to(stack, address)
    page.goto(f"/portal/{workspace.slug}")
    expect(page.get_by_role("heading", name="Sign in to see your requests")).to_be_visible()
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("we emailed it a sign-in link")
    link = emailed_link(stack, address, after=before)
    page.goto("about:blank")  # the email is opened afresh, not as a fragment change of this page
    page.goto(link)
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()


@pytest.fixture(scope="module")
def customer_site(stack: LocalStack, workspace: Workspace) -> Iterator[str]:
    """A customer's own site, on another origin (another port of loopback: Chromium lets only a page of
    the same address space load from the local stack), with the widget's script tag."""
    widget = f'<script src="{stack.base_url}/widget.js" data-workspace="{workspace.slug}"></script>'
    body = (
        f'<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Our shop</h1>{widget}</body></html>'
    )

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_requester_signs_in_replies_sees_the_answer_live_and_marks_it_solved(
    open_page: OpenPage, stack: LocalStack, api: Api, workspace: Workspace, requester: str
) -> None:
    page = open_page().page
    portal_sign_in(page, stack, workspace, requester)
    ticket = workspace.tickets["printer"]

    page.get_by_role("link", name=re.compile("Printer on fire")).click()
    expect(page.get_by_role("heading", name=ticket["subject"])).to_be_visible()
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    page.get_by_label("Your reply").fill("It smells of toner now.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("It smells of toner now.")).to_be_visible()

    # the agent answers (and writes an internal note): the public answer appears without a reload
    agent = workspace.tokens["admin"]
    api.call("POST", f"/tickets/{ticket['id']}/comments", agent, {"body": "Internal: order toner", "public": False})
    api.call("POST", f"/tickets/{ticket['id']}/comments", agent, {"body": "Replace the blue cartridge."})
    expect(page.get_by_text("Replace the blue cartridge.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Internal: order toner")).to_have_count(0)

    page.get_by_role("button", name="Mark as solved").click()
    expect(page.locator(".badge", has_text="Solved")).to_be_visible()
    assert api.call("GET", f"/tickets/{ticket['id']}", agent)["ticket"]["status"] == "solved"


def test_the_web_form_sends_the_request_once_the_emailed_link_is_clicked(
    open_page: OpenPage, stack: LocalStack, api: Api, workspace: Workspace
) -> None:
    address = "newcomer@customer.example"
    page = open_page(WIDTHS["phone"]).page
    page.goto(f"/portal/{workspace.slug}/new")
    page.get_by_label("Your email").fill(address)
    page.get_by_label("Subject").fill("Where is my invoice?")
    page.get_by_label("How can we help?").fill("I cannot find the March invoice.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert api.call("GET", f"/tickets?requester={address}", workspace.tokens["admin"])["items"] == []

    page.goto(emailed_link(stack, address))

    expect(page.get_by_role("heading", name="Where is my invoice?")).to_be_visible()
    tickets = api.call("GET", f"/tickets?requester={address}", workspace.tokens["admin"])["items"]
    assert [t["subject"] for t in tickets] == ["Where is my invoice?"]


def test_the_widget_opens_the_form_in_an_iframe_on_a_customers_site(open_page: OpenPage, customer_site: str) -> None:
    page = open_page(WIDTHS["phone"], 740).page
    page.goto(f"{customer_site}/")

    page.get_by_role("button", name="Contact support").click()

    frame = page.frame_locator("iframe[title='Contact support']")
    expect(frame.get_by_label("Your email")).to_be_visible()
    expect(frame.get_by_role("heading", name=re.compile("Contact"))).to_be_visible()
    shot(page, "widget-360")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("button", name="Contact support")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#pulsedesk-widget-panel")).to_be_hidden()  # not only said closed: out of sight


PAGES = {
    "sign-in": ("/portal/{slug}/sign-in", False),
    "web-form": ("/portal/{slug}/new", False),
    "web-form-embedded": ("/portal/{slug}/new?embed=1", False),
    "my-requests": ("/portal/{slug}", True),
    "request": ("/portal/{slug}/requests/{ticket}", True),
    "new-request": ("/portal/{slug}/requests/new", True),
}


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_portal_pages_have_no_accessibility_violations(
    open_page: OpenPage, stack: LocalStack, workspace: Workspace, requester: str, width: str
) -> None:
    page = open_page(WIDTHS[width]).page
    portal_sign_in(page, stack, workspace, requester)
    found = {}
    for name, (path, _) in PAGES.items():
        page.goto(path.format(slug=workspace.slug, ticket=workspace.tickets["printer"]["id"]))
        expect(page.locator(".status--loading")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems = violations(page)
        if problems:
            found[name] = problems
        shot(page, f"{name}-{WIDTHS[width]}")
        # nothing spills sideways on a phone
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    assert not found, found
