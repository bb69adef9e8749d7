"""axe-core (WCAG 2.0/2.1 A and AA) on every page at phone, tablet and desktop widths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WIDTHS, OpenPage, Workspace, sign_in

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def violations(page: Page) -> list[str]:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    found: list[dict[str, Any]] = results.response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in found]


def settled(page: Page) -> None:
    """Everything the page loads has arrived: no spinner left."""
    expect(page.locator(".status--loading")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def signed_in_pages(workspace: Workspace) -> dict[str, tuple[str, Callable[[Page], None]]]:
    ticket = workspace.tickets["printer"]

    def list_ready(page: Page) -> None:
        expect(page.locator("[data-ticket-link]").first).to_be_visible()
        expect(page.locator(".view-link__count").first).to_be_visible()

    def ticket_ready(page: Page) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(ticket["subject"])

    def team_ready(page: Page) -> None:
        expect(page.get_by_role("rowheader", name="Arjun Agent")).to_be_visible()  # the Load table
        expect(page.get_by_text("lead@", exact=False).first).to_be_visible()  # the People table

    def audit_ready(page: Page) -> None:
        expect(page.locator("table tbody tr").first).to_be_visible()

    return {
        "ticket list": ("/", list_ready),
        "ticket": (f"/tickets/{ticket['id']}", ticket_ready),
        "team": ("/team", team_ready),
        "api keys": ("/team/api-keys", lambda page: None),
        "audit log": ("/team/audit", audit_ready),
    }


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_has_no_axe_violations(open_page: OpenPage, workspace: Workspace, width: int) -> None:
    page = open_page(width=width).page
    report: dict[str, list[str]] = {}

    for name, path in (("sign in", "/sign-in"), ("sign up", "/sign-up")):
        page.goto(path)
        settled(page)
        report[name] = violations(page)

    sign_in(page, workspace, "admin")
    for name, (path, ready) in signed_in_pages(workspace).items():
        page.goto(path)
        ready(page)
        settled(page)
        report[name] = violations(page)

    failing = {name: found for name, found in report.items() if found}
    assert not failing, f"axe violations at {width}px:\n" + "\n".join(
        f"- {name}: {item}" for name, found in failing.items() for item in found
    )
