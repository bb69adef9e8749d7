"""The agent's desk in Chromium at phone, tablet and desktop widths, with axe on each state:
taking a ticket, and changing five tickets at once."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import WIDTHS, Api, OpenPage, Workspace, sign_in
from tests.e2e.test_accessibility import settled, violations


def new_tickets(api: Api, workspace: Workspace, count: int, tag: str) -> list[dict[str, object]]:
    return [
        api.call(
            "POST",
            "/tickets",
            workspace.tokens["admin"],
            {
                "subject": f"Desk {tag} {n}",
                "description": "Printer jammed again.",
                "requester": {"email": f"desk{n}@customer.example", "name": f"Desk Customer {n}"},
                "priority": "urgent" if n == 0 else "normal",
                "tags": [tag],
            },
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_agent_takes_an_unassigned_ticket(open_page: OpenPage, api: Api, workspace: Workspace, width: int) -> None:
    # GIVEN an unassigned urgent ticket with its SLA clock running
    ticket = new_tickets(api, workspace, 1, f"take{uuid.uuid4().hex[:6]}")[0]
    page = open_page(width=width).page
    sign_in(page, workspace, "agent")

    # WHEN the agent opens it: it shows the time left and offers to take it
    page.goto(f"/tickets/{ticket['id']}")
    settled(page)
    badge = page.locator(".ticket-page__sla .sla-badge")
    expect(badge).to_contain_text(re.compile(r"^(due in \d+ min|\d+ h left)"))
    expect(badge.locator(".visually-hidden")).to_contain_text("SLA")
    assert violations(page) == []
    page.get_by_role("button", name="Take it").click()

    # THEN it is theirs, on the page and on the server, and the button is gone
    expect(page.locator("#ticket-assignee")).to_have_text("Arjun Agent")
    expect(page.get_by_role("button", name="Take it")).to_have_count(0)
    stored = api.call("GET", f"/tickets/{ticket['id']}", workspace.tokens["admin"])["ticket"]
    assert stored["assignee_id"] == workspace.ids["agent"]
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_lead_changes_five_tickets_at_once(open_page: OpenPage, api: Api, workspace: Workspace, width: int) -> None:
    # GIVEN five tickets with a tag of their own
    tag = f"bulk{uuid.uuid4().hex[:6]}"
    tickets = new_tickets(api, workspace, 5, tag)
    page = open_page(width=width).page
    sign_in(page, workspace, "lead")
    page.goto(f"/?tag={tag}")
    expect(page.locator("[data-ticket-link]")).to_have_count(5)

    # WHEN the lead selects them all, sets priority high and gives them to the agent
    page.get_by_label("Select all 5 shown").check()
    bar = page.get_by_role("form", name="Change the selected tickets")
    expect(bar).to_contain_text("5 selected")
    bar.get_by_label("Priority").select_option("high")
    bar.get_by_label("Assignee").select_option(workspace.ids["agent"])
    assert violations(page) == []
    bar.get_by_role("button", name="Apply to 5").click()

    # THEN the page says what happened and every ticket changed, each once
    expect(page.get_by_role("status").filter(has_text="5 tickets changed.")).to_be_visible()
    for ticket in tickets:
        stored = api.call("GET", f"/tickets/{ticket['id']}", workspace.tokens["admin"])["ticket"]
        assert (stored["priority"], stored["assignee_id"]) == ("high", workspace.ids["agent"])
        assert stored["version"] == ticket["version"] + 1
    expect(bar).to_have_count(0)  # nothing left selected
    assert violations(page) == []


def test_shift_click_selects_a_range_and_x_toggles_the_focused_row(
    open_page: OpenPage, api: Api, workspace: Workspace
) -> None:
    tag = f"range{uuid.uuid4().hex[:6]}"
    new_tickets(api, workspace, 5, tag)
    page = open_page().page
    sign_in(page, workspace, "agent")
    page.goto(f"/?tag={tag}")
    boxes = page.locator(".row-check")
    expect(boxes).to_have_count(5)
    boxes.nth(0).click()
    boxes.nth(3).click(modifiers=["Shift"])
    expect(page.get_by_role("form", name="Change the selected tickets")).to_contain_text("4 selected")
    page.locator("[data-ticket-link]").nth(4).focus()
    page.keyboard.press("x")
    expect(page.get_by_role("form", name="Change the selected tickets")).to_contain_text("5 selected")
