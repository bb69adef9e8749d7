"""axe-core (WCAG 2.0/2.1 A and AA) on every page at phone, tablet and desktop widths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, sign_in

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


# Nothing listens here: connections to it are refused at once, so the test delivery fails fast and is logged.
UNREACHABLE = "http://127.0.0.1:9"
RECEIVER = "E2E receiver"


@pytest.fixture(scope="module")
def integrations(api: Api, workspace: Workspace) -> Iterator[None]:
    """Watchers on a ticket, a Slack connection and a webhook endpoint with one (failed) delivery, so
    the ticket and Integrations pages are scanned with their lists filled in; all removed afterwards."""
    admin = workspace.tokens["admin"]
    ticket_id = workspace.tickets["printer"]["id"]
    watchers = [workspace.ids["admin"], workspace.ids["agent"]]
    for user_id in watchers:
        api.call("PUT", f"/tickets/{ticket_id}/watchers/{user_id}", admin)
    # Alerts off, and an event type no page scan triggers: nothing is sent while the pages are scanned.
    slack = {"mode": "bot", "bot_token": "xoxb-e2e-not-a-real-token", "channel": "#e2e"}
    api.call("PUT", "/integrations/slack", admin, {**slack, "alert_urgent": False, "alert_sla_breaches": False})
    endpoint = api.call(
        "POST",
        "/webhooks",
        admin,
        {"url": f"{UNREACHABLE}/hook", "event_types": ["ticket.priority_changed"], "description": RECEIVER},
    )
    api.call("POST", f"/webhooks/{endpoint['id']}/test", admin)
    try:
        yield
    finally:
        api.call("DELETE", f"/webhooks/{endpoint['id']}", admin)
        api.call("DELETE", "/integrations/slack", admin)
        for user_id in watchers:
            api.call("DELETE", f"/tickets/{ticket_id}/watchers/{user_id}", admin)


def signed_in_pages(workspace: Workspace) -> dict[str, tuple[str, Callable[[Page], None]]]:
    ticket = workspace.tickets["printer"]

    def list_ready(page: Page) -> None:
        expect(page.locator("[data-ticket-link]").first).to_be_visible()
        expect(page.locator(".view-link__count").first).to_be_visible()

    def ticket_ready(page: Page) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(ticket["subject"])
        expect(page.get_by_role("list", name="People watching this ticket")).to_contain_text("Arjun Agent")
        expect(page.get_by_role("button", name="Watch", exact=True)).to_have_attribute("aria-pressed", "true")

    def team_ready(page: Page) -> None:
        expect(page.get_by_role("rowheader", name="Arjun Agent")).to_be_visible()  # the Load table
        expect(page.get_by_text("lead@", exact=False).first).to_be_visible()  # the People table

    def audit_ready(page: Page) -> None:
        expect(page.locator("table tbody tr").first).to_be_visible()

    def notifications_ready(page: Page) -> None:
        expect(page.get_by_role("checkbox", name="Something happens on a ticket I watch")).to_be_visible()

    def integrations_ready(page: Page) -> None:
        expect(page.get_by_text("Connected", exact=True)).to_be_visible()
        expect(page.get_by_label("Bot token", exact=True)).to_have_value("")  # stored, shown masked in the hint only
        expect(page.get_by_text("No failed notifications.")).to_be_visible()
        page.get_by_role("button", name=f"Delivery log of {RECEIVER}").click()  # the log is scanned open
        deliveries = page.get_by_role("table", name=f"Deliveries to {RECEIVER}, newest first")
        expect(deliveries.get_by_role("row")).to_have_count(2)

    def performance_ready(page: Page) -> None:
        expect(page.get_by_role("list", name="Goals").get_by_role("listitem")).to_have_count(4)
        expect(page.get_by_role("list", name="Backlog now")).to_contain_text("open")
        expect(page.locator(".time-chart__plot canvas").first).to_be_attached()  # uPlot loaded on demand
        page.locator(".time-chart__table > summary").first.click()  # a chart's table is scanned open

    def sla_ready(page: Page) -> None:
        expect(page.get_by_role("rowheader", name="Default Built in")).to_be_visible()
        expect(page.get_by_label("Time zone", exact=True)).not_to_have_value("")
        expect(page.get_by_label("high: Resolution (minutes)").first).to_be_visible()

    def email_ready(page: Page) -> None:
        expect(page.get_by_text("Forwarding your own address")).to_be_visible()

    def queues_ready(page: Page) -> None:
        expect(page.get_by_role("button", name="Add queue")).to_be_visible()

    def settings_ready(page: Page) -> None:
        expect(page.get_by_role("heading", name="Security", level=2)).to_be_visible()

    return {
        "ticket list": ("/", list_ready),
        "performance": ("/performance", performance_ready),
        "ticket": (f"/tickets/{ticket['id']}", ticket_ready),
        "team": ("/team", team_ready),
        "api keys": ("/team/api-keys", lambda page: None),
        "audit log": ("/team/audit", audit_ready),
        "notifications": ("/settings/notifications", notifications_ready),
        "integrations": ("/settings/integrations", integrations_ready),
        "sla policies": ("/settings/sla", sla_ready),
        "email": ("/settings/email", email_ready),
        "queues": ("/settings/queues", queues_ready),
        "settings": ("/settings", settings_ready),
    }


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.usefixtures("integrations")
def test_every_page_has_no_axe_violations(open_page: OpenPage, workspace: Workspace, width: int) -> None:
    page = open_page(width=width).page
    report: dict[str, list[str]] = {}

    for name, path in (("sign in", "/sign-in"), ("sign up", "/sign-up"), ("forgot password", "/forgot-password")):
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
