"""Signing up in the browser: the form says to check the email, the emailed link signs the admin in,
and a workspace address taken in the meantime is chosen again on the confirmation page."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import PASSWORD, OpenPage, Workspace
from tests.e2e.test_accessibility import violations
from tests.integration.http import Http, signup_token


def ask_for_a_workspace(page: Page, name: str, slug: str, email: str) -> None:
    page.goto("/sign-up")
    page.get_by_label("Workspace name").fill(name)
    page.get_by_label("Workspace address").fill(slug)
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(email)


def test_signup_through_the_emailed_link_signs_the_admin_in(open_page: OpenPage, stack: LocalStack) -> None:
    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    email = f"ada@{slug}.example.com"
    page = open_page().page

    # GIVEN a sign-up asked for in the browser ("check your email", nobody signed in)
    ask_for_a_workspace(page, "Browser Co", slug, email)
    assert violations(page) == []

    # WHEN the link from the email is opened
    page.goto(f"/sign-up/confirm#token={signup_token(Http.for_stack(stack), email)}")

    # THEN the admin lands on the dashboard, signed in, and the token is gone from the address bar
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert "token" not in page.url


def test_a_taken_address_is_chosen_again_on_the_confirmation_page(
    open_page: OpenPage, stack: LocalStack, workspace: Workspace
) -> None:
    email = f"late-{uuid.uuid4().hex[:8]}@example.com"
    opened = open_page()
    page = opened.page
    ask_for_a_workspace(page, "Late Co", workspace.slug, email)  # the answer does not tell it is taken

    page.goto(f"/sign-up/confirm#token={signup_token(Http.for_stack(stack), email)}")

    expect(page.get_by_role("alert")).to_contain_text("the workspace address you chose is taken")
    # the browser logs the 409 itself as a console error; that one answer is expected, nothing else is
    expected = [e for e in opened.problems.console_errors if "409" in e and "/api/v1/auth/signup/confirm" in e]
    assert len(expected) == 1
    opened.problems.console_errors.remove(expected[0])
    assert violations(page) == []
    page.get_by_label("Workspace address").fill(f"e2e-{uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
