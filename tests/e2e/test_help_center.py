"""The help centre and the satisfaction survey in Chromium, with axe (WCAG 2.1 A/AA) at phone, tablet
and desktop widths, and the team's Articles page. Screenshots go to PULSEDESK_SCREENSHOTS when set."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, sign_in
from tests.e2e.test_accessibility import settled, violations
from tests.integration.http import outbox

SHOTS = os.environ.get("PULSEDESK_SCREENSHOTS")
ARTICLES = [
    ("Reset your password", "Account", "Open **Settings**, then *Reset password*.\n\n1. One\n2. Two"),
    (
        "Download an invoice",
        "Billing",
        "Invoices are under **Billing → Invoices**.\n\n| Plan | Billed |\n|---|---|\n| Monthly | 1st |",
    ),
]


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def expected_refusal(console_errors: list[str], path: str) -> None:
    """The browser logs the 4xx a test provoked on purpose: that one is expected, any other is not."""
    mine = [e for e in console_errors if path in e and "Failed to load resource" in e]
    assert len(mine) == 1, console_errors
    console_errors.remove(mine[0])


@pytest.fixture(scope="module")
def articles(api: Api, workspace: Workspace) -> Iterator[list[dict[str, Any]]]:
    admin = workspace.tokens["admin"]
    written = [
        api.call("POST", "/articles", admin, {"title": t, "category": c, "body": b, "status": "published"})
        for t, c, b in ARTICLES
    ]
    deadline = time.monotonic() + 30
    while not api.call("GET", f"/portal/{workspace.slug}/help/search?q=invoice")["items"]:
        assert time.monotonic() < deadline, "the article index never caught up"
        time.sleep(0.2)
    yield written


@pytest.fixture(scope="module")
def survey_token(api: Api, stack: LocalStack, workspace: Workspace) -> str:
    """A solved ticket's survey link, read from the local outbox as a requester would."""
    admin = workspace.tokens["admin"]
    requester = f"survey-{workspace.slug}@customer.example"
    body = {"subject": "Label printer jams", "description": "x", "requester": {"email": requester, "name": "Sam"}}
    ticket = api.call("POST", "/tickets", admin, body)
    api.call("PATCH", f"/tickets/{ticket['id']}", admin, {"status": "solved", "version": ticket["version"]})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for mail in outbox(stack):
            if requester in mail["to"] and (found := re.search(r"/csat/([A-Za-z0-9_~-]+)\?rating=good", mail["text"])):
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError("no survey email")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_help_centre_reads_searches_and_passes_axe(
    open_page: OpenPage, workspace: Workspace, articles: list[dict[str, Any]], width: int
) -> None:
    opened = open_page(width=width)
    page = opened.page

    # the home page: categories with their articles, no sign-in
    page.goto(f"/portal/{workspace.slug}/help")
    expect(page.get_by_role("heading", name="Account")).to_be_visible()
    expect(page.get_by_role("heading", name="Billing")).to_be_visible()
    settled(page)
    report = {"help home": violations(page)}
    shot(page, f"help-home-{width}")

    # search narrows the list, and says how many it found
    page.get_by_label("Search the help centre").fill("invoice")
    expect(page.get_by_role("status").filter(has_text="1 article found")).to_be_visible()
    expect(page.get_by_role("link", name="Download an invoice")).to_be_visible()
    expect(page.get_by_role("link", name="Reset your password")).to_have_count(0)
    report["help search"] = violations(page)

    # an article, rendered
    page.get_by_role("link", name="Download an invoice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download an invoice")
    expect(page.locator(".prose table")).to_be_visible()
    settled(page)
    report["help article"] = violations(page)
    shot(page, f"help-article-{width}")

    # an article that does not exist: a clear message
    page.goto(f"/portal/{workspace.slug}/help/no-such-article")
    expect(page.get_by_role("alert")).to_contain_text("There is nothing here")
    report["missing article"] = violations(page)
    expected_refusal(opened.problems.console_errors, "/help/articles/no-such-article")

    failing = {name: found for name, found in report.items() if found}
    assert not failing, f"axe violations at {width}px: {failing}"
    scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert scroll <= 0, "the page scrolls sideways"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_survey_page_records_and_changes_a_rating(
    open_page: OpenPage, api: Api, workspace: Workspace, survey_token: str, width: int
) -> None:
    opened = open_page(width=width)
    page = opened.page

    # WHEN the requester follows the Good link
    page.goto(f"/csat/{survey_token}?rating=good")
    expect(page.get_by_text("Thank you, your rating is recorded.")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Good"))).to_be_checked()
    settled(page)
    assert violations(page) == []
    shot(page, f"csat-{width}")

    # AND changes it to Bad with a comment
    page.get_by_role("radio", name=re.compile("Bad")).check()
    page.get_by_label("Anything to add? (optional)").fill(f"Too slow at {width}px")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("your answer is saved")).to_be_visible()
    assert violations(page) == []

    # THEN a tampered link shows a clear message, not a stack trace
    page.goto(f"/csat/{survey_token[:-4]}AAAA")
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid")
    assert violations(page) == []
    expected_refusal(opened.problems.console_errors, f"/csat/{survey_token[:-4]}AAAA")
    shot(page, f"csat-invalid-{width}")


def test_the_articles_page_writes_previews_and_publishes(
    open_page: OpenPage, workspace: Workspace, articles: list[dict[str, Any]]
) -> None:
    page = open_page().page
    sign_in(page, workspace, "admin")
    page.goto("/articles")
    expect(page.get_by_role("button", name="Reset your password")).to_be_visible()
    page.get_by_label("Title").fill("Connect Slack")
    page.get_by_label("Category").fill("Integrations")
    page.get_by_label("Body (Markdown)").fill("Open **Integrations** <script>alert(1)</script>")
    expect(page.locator(".article-preview strong")).to_have_text("Integrations")
    expect(page.locator(".article-preview script")).to_have_count(0)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").filter(has_text="Published.")).to_be_visible()
    expect(page.get_by_role("button", name="Connect Slack")).to_be_visible()
    settled(page)
    assert violations(page) == []
    shot(page, "articles-1440")
