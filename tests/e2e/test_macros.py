"""Macros and merging in the browser: an agent creates a macro on the Macros page and applies it to a
ticket with the keyboard alone (Ctrl+K, type, Enter); a lead merges a duplicate from the ticket's
menu. Every screen on the way is scanned by axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Api, OpenPage, Workspace, sign_in
from tests.e2e.test_accessibility import violations

SHOTS = Path("/tmp/pulsedesk-shots")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_create_a_macro_and_apply_it_with_the_keyboard(open_page: OpenPage, workspace: Workspace, api: Api) -> None:
    page = open_page().page
    sign_in(page, workspace, "agent")
    # GIVEN the agent writes a personal macro on the Macros page
    page.get_by_role("link", name="Macros").click()
    expect(page.get_by_role("heading", name="Macros", level=1)).to_be_visible()
    page.get_by_role("button", name="New macro").click()
    form = page.get_by_role("form", name="New macro")
    form.get_by_label("Name").fill("Waiting for the customer")
    form.get_by_label("Set status").select_option("pending")
    form.get_by_label("Add tags").fill("waiting")
    form.get_by_label("Reply text").fill(
        "Hi {{ requester.first_name }}, about #{{ ticket.number }}: could you send a photo?"
    )
    assert violations(page) == []
    shot(page, "macro-form")
    form.get_by_role("button", name="Create macro").click()
    row = page.get_by_role("row", name="Waiting for the customer")
    expect(row).to_contain_text("Personal")
    expect(row).to_contain_text("status → pending")
    assert violations(page) == []
    shot(page, "macros-page")

    # WHEN they open a ticket and apply it with the keyboard only
    ticket = workspace.tickets["refund"]
    page.goto(f"/tickets/{ticket['id']}")
    expect(page.get_by_role("heading", name=ticket["subject"])).to_be_visible()
    # the palette's key is bound once the ticket's actions are on the page (shown by their button)
    expect(page.get_by_role("button", name="Apply macro")).to_be_visible()
    page.keyboard.press("Control+k")
    combobox = page.get_by_role("combobox", name="Macro")
    expect(combobox).to_be_focused()
    page.keyboard.type("waiting")
    expect(page.get_by_role("option", name="Waiting for the customer")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("could you send a photo?")).to_be_visible()  # the preview, filled in
    assert violations(page) == []
    shot(page, "macro-palette")
    page.keyboard.press("Enter")

    # THEN the reply is written for this ticket, the status and tags changed, and focus came back
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text(f"Hi Customer, about #{ticket['number']}: could you send a photo?")).to_be_visible()
    stored: dict[str, Any] = api.call("GET", f"/tickets/{ticket['id']}", workspace.tokens["admin"])
    assert stored["ticket"]["status"] == "pending" and "waiting" in stored["ticket"]["tags"]
    assert stored["comments"][-1]["public"] is True
    shot(page, "macro-applied")


def test_merge_a_duplicate_from_the_ticket_menu(open_page: OpenPage, workspace: Workspace, api: Api) -> None:
    admin = workspace.tokens["admin"]
    requester = {"email": "dup@customer.example", "name": "Dee Duplicate"}
    keep = api.call(
        "POST",
        "/tickets",
        admin,
        {"subject": "Scanner jams", "description": "Jams on every page.", "requester": requester},
    )
    duplicate = api.call(
        "POST",
        "/tickets",
        admin,
        {"subject": "Scanner jams again", "description": "Still jams.", "requester": requester},
    )
    page = open_page().page
    sign_in(page, workspace, "lead")
    page.goto(f"/tickets/{duplicate['id']}")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Merge into…").click()
    dialog = page.get_by_role("dialog", name=f"Merge #{duplicate['number']} into another ticket")
    pick = dialog.get_by_role("button", name=f"#{keep['number']} Scanner jams")
    expect(pick).to_be_visible()
    assert violations(page) == []
    shot(page, "merge-pick")
    pick.click()
    confirm = dialog.get_by_role("button", name=f"Merge into #{keep['number']}")
    expect(confirm).to_be_focused()
    shot(page, "merge-confirm")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/tickets/')[0]}/tickets/{keep['id']}")
    expect(page.get_by_text(f"Merged #{duplicate['number']}")).to_be_visible()
    expect(page.get_by_text("Still jams.")).to_be_visible()
    assert violations(page) == []
    shot(page, "merge-done")
    merged = api.call("GET", f"/tickets/{duplicate['id']}", admin)["ticket"]
    assert merged["status"] == "closed" and merged["merged_into"]["id"] == keep["id"]
