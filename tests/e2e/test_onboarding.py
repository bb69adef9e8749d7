"""A new workspace's first run in the browser (issue 17, item 7): sign up, land on the setup checklist,
follow a step's link to the page that does it, do it, and find the step ticked from the workspace's own
state; mark routing as reviewed after reading the routing page. axe finds nothing at any width."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import PASSWORD, WIDTHS, OpenPage
from tests.e2e.test_accessibility import violations
from tests.integration.http import Http, signup_token

SLOW = 60_000  # ms: signing up hashes a password (argon2id), slow while other tests share the cores


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_new_workspace_opens_on_its_checklist_and_ticks_what_is_done(
    open_page: OpenPage, stack: LocalStack, width: int
) -> None:
    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    page = open_page(width=width).page

    # GIVEN a workspace just signed up for in the browser (password hashing is slow on a loaded machine)
    page.goto("/sign-up")
    page.get_by_label("Workspace name").fill("First Run Co")
    page.get_by_label("Workspace address").fill(slug)
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Email").fill(f"ada@{slug}.example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible(timeout=SLOW)
    page.goto(f"/sign-up/confirm#token={signup_token(Http.for_stack(stack), f'ada@{slug}.example.com')}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=SLOW)

    # THEN it opens on the checklist, nothing done yet, and the empty list says what to do next
    checklist = page.get_by_role("region", name="Set up your workspace")
    expect(checklist).to_be_visible(timeout=SLOW)
    expect(checklist.get_by_text("0 of 5 done")).to_be_visible()
    expect(checklist.get_by_role("heading", name="Invite your team (to do)")).to_be_visible()
    expect(page.get_by_text("Tickets arrive when customers email your support address")).to_be_visible(timeout=SLOW)
    expect(page.locator(".status--loading")).to_have_count(0, timeout=SLOW)
    assert violations(page) == []
    page.screenshot(path=f"/tmp/p/checklist-{width}.png", full_page=True)

    # WHEN the admin follows "Invite people" and invites a teammate
    checklist.get_by_role("link", name="Invite people").click()
    expect(page).to_have_url(f"{stack.base_url}/team")
    form = page.get_by_role("form", name="Invite a team member")
    expect(form).to_be_visible(timeout=SLOW)
    form.get_by_label("Email").fill(f"bo@{slug}.example.com")
    form.get_by_label("Role").select_option("agent")
    form.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to bo@{slug}.example.com.")).to_be_visible(timeout=SLOW)

    # THEN back home the step is ticked, saying why
    page.get_by_role("link", name="Tickets", exact=True).click()
    checklist = page.get_by_role("region", name="Set up your workspace")
    expect(checklist.get_by_role("heading", name="Invite your team (done)")).to_be_visible(timeout=SLOW)
    expect(checklist.get_by_text("1 invitation sent.")).to_be_visible()

    # WHEN the admin reads the routing page from its link and marks it reviewed
    checklist.get_by_role("link", name="Open routing").click()
    expect(page.get_by_role("heading", name="Routing", level=1)).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("the lowest load wins")).to_be_visible(timeout=SLOW)
    expect(page.locator(".status--loading")).to_have_count(0, timeout=SLOW)
    assert violations(page) == []
    if width != WIDTHS["tablet"]:
        page.screenshot(path=f"/tmp/p/routing-{width}.png", full_page=True)
    page.go_back()
    checklist = page.get_by_role("region", name="Set up your workspace")
    routing = checklist.get_by_role("listitem", name="Review routing (to do)")
    routing.get_by_role("button", name="Mark as reviewed").click(timeout=SLOW)

    # THEN two of five are done, and the checklist still passes axe
    expect(checklist.get_by_text("2 of 5 done")).to_be_visible(timeout=SLOW)
    expect(checklist.get_by_role("heading", name="Review routing (done)")).to_be_visible()
    assert violations(page) == []
