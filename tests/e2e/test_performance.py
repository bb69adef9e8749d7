"""The Performance page: a lead sees the team's figures, and a change made elsewhere moves them live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, new_workspace, sign_in, wait_until_live


@pytest.fixture(scope="module")
def own(api: Api, stack: LocalStack) -> Workspace:
    """A workspace of this file's own: its figures move only by what these tests do, whatever other
    files ran before (or run after) in the shared session."""
    return new_workspace(api, stack)


def test_a_ticket_opened_elsewhere_moves_the_lead_s_backlog_live(open_page: OpenPage, own: Workspace, api: Api) -> None:
    # GIVEN a lead on the Performance page, connected for live updates, showing the open tickets the
    # API counts (the workspace's set-up has settled)
    page = open_page(width=WIDTHS["tablet"]).page
    sign_in(page, own, "lead")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Performance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    wait_until_live(page)
    before = api.call("GET", "/metrics", own.tokens["admin"])["backlog_now"]["open"]
    open_now = page.get_by_role("list", name="Backlog now").get_by_role("listitem").first
    expect(open_now).to_have_text(f"{before} open", timeout=20_000)
    created = page.get_by_role("region", name="Tickets created and solved, by day")
    page.evaluate("window.__sameDocument = true")

    # WHEN someone else opens a ticket
    api.call(
        "POST",
        "/tickets",
        own.tokens["admin"],
        {"subject": "Live metrics check", "description": "d", "requester": {"email": "m@customer.example"}},
    )

    # THEN the backlog and today's row move, without a reload
    expect(open_now).to_have_text(f"{before + 1} open", timeout=20_000)
    page.locator(".time-chart__table > summary").first.click()
    expect(created.get_by_role("row").last).to_contain_text(re.compile(r"\d"))
    assert page.evaluate("window.__sameDocument === true")


def test_the_lead_s_dashboard_has_the_goal_strip(open_page: OpenPage, own: Workspace) -> None:
    page = open_page(width=WIDTHS["phone"]).page
    sign_in(page, own, "lead")
    strip = page.get_by_role("region", name=re.compile("Last 30 days"))
    expect(strip.get_by_role("listitem")).to_have_count(4)
    expect(strip).to_contain_text("Resolved within 24 hours")
