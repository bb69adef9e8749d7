"""The whole self-service journey in Chromium (issue 15's "done when"), with axe (WCAG 2.1 A/AA) at each
step, at phone, tablet and desktop widths: open the help centre → write to us, an article suggested as
the subject is typed → submit → confirm by the emailed link (read from the local outbox) → reply with a
file → the agent's answer (through the API) appears live → the agent solves → "How did we do?" answered
in the portal → the emailed survey link changes it (the last answer counts).

Escape inside the widget's iframe closes it (postMessage, origins checked both ways). Screenshots of
the request page with its file and its rating go to /tmp/portal-shots."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, new_workspace
from tests.e2e.test_accessibility import violations
from tests.e2e.test_portal import customer_site, emailed_link, shot  # noqa: F401  (customer_site: a fixture)
from tests.integration.http import outbox

WAIT = 30.0  # a bound so a broken test cannot hang
SHOTS = Path("/tmp/portal-shots")


@pytest.fixture(scope="module")
def journey_workspace(api: Api, stack: LocalStack) -> Iterator[Workspace]:
    """A workspace of its own (its help centre holds one article the journey must find)."""
    ws = new_workspace(api, stack)
    admin = ws.tokens["admin"]
    body = {
        "title": "Reset your password",
        "category": "Account",
        "body": "Open **Settings**, then *Reset password*.",
        "status": "published",
    }
    api.call("POST", "/articles", admin, body)
    deadline = time.monotonic() + WAIT
    while not api.call("GET", f"/portal/{ws.slug}/help/search?q=password")["items"]:
        assert time.monotonic() < deadline, "the article index never caught up"
        time.sleep(0.2)
    yield ws


def no_violations(page: Page, step: str) -> None:
    problems = violations(page)
    assert not problems, (step, problems)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), step


def survey_link(stack: LocalStack, address: str, rating: str) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for mail in outbox(stack):
            if address in [a.lower() for a in mail["to"]]:
                found = re.search(rf"https?://[^\s]+(/csat/[A-Za-z0-9_~-]+\?rating={rating})", mail["text"] or "")
                if found:
                    return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no survey email reached {address}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_help_centre_to_request_to_live_answer_to_rating(
    open_page: OpenPage, stack: LocalStack, api: Api, journey_workspace: Workspace, width: int, tmp_path: Path
) -> None:
    ws = journey_workspace
    admin = ws.tokens["admin"]
    address = f"journey-{width}@customer.example"
    page = open_page(width).page

    # the help centre, then "Contact support"
    page.goto(f"/portal/{ws.slug}/help")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    no_violations(page, "help centre")
    page.get_by_role("navigation", name="Support").get_by_role("link", name="Contact support").click()
    expect(page.get_by_role("link", name="E2E Support", exact=True)).to_be_visible()  # not "… Support Support"

    # an article is suggested while the subject is typed
    page.get_by_label("Your email").fill(address)
    page.get_by_label("Subject").press_sequentially("how do I reset my password", delay=20)
    suggestions = page.get_by_role("region", name="These articles may answer your question")
    expect(suggestions.get_by_role("link", name=re.compile("Reset your password"))).to_be_visible()
    no_violations(page, "web form with a suggestion")
    page.get_by_label("How can we help?").fill("The reset email never arrives.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert api.call("GET", f"/tickets?requester={address}", admin)["items"] == []

    # confirmed by the emailed link: the request is open, and its requester is signed in
    page.goto("about:blank")
    page.goto(emailed_link(stack, address))
    expect(page.get_by_role("heading", name="how do I reset my password")).to_be_visible()
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    (ticket,) = api.call("GET", f"/tickets?requester={address}", admin)["items"]

    # a reply with a file (uploaded straight to storage) reaches the agent
    log = tmp_path / "mail-log.txt"
    log.write_text("550 5.1.1 mailbox unavailable\n")
    page.get_by_label("Your reply").fill("Here is what my mail server logged.")
    page.get_by_label("Attach files").set_input_files(str(log))
    expect(page.get_by_text(re.compile(r"^ready"))).to_be_visible()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("button", name="Download mail-log.txt")).to_be_visible()
    comments = api.call("GET", f"/tickets/{ticket['id']}", admin)["comments"]
    assert [a["filename"] for a in comments[-1]["attachments"]] == ["mail-log.txt"]

    # the agent's answer appears without a reload
    api.call("POST", f"/tickets/{ticket['id']}/comments", admin, {"body": "We unblocked your address."})
    expect(page.get_by_text("We unblocked your address.")).to_be_visible(timeout=20_000)
    no_violations(page, "request with a file and an answer")
    shot(page, f"journey-request-with-file-{width}")

    # the agent solves: the portal asks how we did
    version = api.call("GET", f"/tickets/{ticket['id']}", admin)["ticket"]["version"]
    api.call("PATCH", f"/tickets/{ticket['id']}", admin, {"status": "solved", "version": version})
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible(timeout=20_000)
    no_violations(page, "asked for a rating")
    page.get_by_role("radio", name=re.compile("Good")).check()
    page.get_by_label("Anything to add? (optional)").fill("Quick and clear.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("status").filter(has_text="You rated this request Good")).to_be_visible()
    no_violations(page, "rating given")
    shot(page, f"journey-rated-{width}")
    assert api.call("GET", f"/tickets/{ticket['id']}", admin)["ticket"]["csat"]["rating"] == "good"

    # the solve email's survey link changes it: the last answer counts, in the portal too
    page.goto(survey_link(stack, address, "bad"))
    expect(page.get_by_text("Thank you, your rating is recorded.")).to_be_visible()
    assert api.call("GET", f"/tickets/{ticket['id']}", admin)["ticket"]["csat"]["rating"] == "bad"
    page.goto(f"/portal/{ws.slug}/requests/{ticket['id']}")
    expect(page.get_by_role("status").filter(has_text="You rated this request Bad")).to_be_visible()


def test_escape_inside_the_widgets_iframe_closes_it(open_page: OpenPage, customer_site: str) -> None:  # noqa: F811
    page = open_page(WIDTHS["phone"], 740).page
    page.goto(f"{customer_site}/")
    opener = page.get_by_role("button", name="Contact support")
    opener.click()
    frame = page.frame_locator("iframe[title='Contact support']")
    email = frame.get_by_label("Your email")
    expect(email).to_be_visible()

    email.click()
    email.press("Escape")

    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#pulsedesk-widget-panel")).to_be_hidden()
    expect(opener).to_be_focused()
    # opened again, it still closes from inside
    opener.click()
    expect(email).to_be_visible()
    email.press("Escape")
    expect(opener).to_have_attribute("aria-expanded", "false")
