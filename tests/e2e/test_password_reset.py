"""Forgetting a password in the browser: the sign-in page leads to a form that asks for a link, the
emailed link (read from the local outbox) opens a page that sets a new password, and the new
password signs in."""

from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import Page, expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import PASSWORD, Api, OpenPage, Workspace
from tests.e2e.test_accessibility import violations
from tests.integration.http import outbox
from tests.signup_mail import reset_token_in

NEW_PASSWORD = "quiet lantern orchard 42"


def reset_token(stack: LocalStack, address: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = [m for m in outbox(stack) if address in m["to"] and "/reset-password#" in (m["text"] or "")]
        if mails:
            return reset_token_in(mails[-1]["text"])
        time.sleep(0.05)
    raise AssertionError(f"no reset email reached {address}")


def sign_in(page: Page, slug: str, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Workspace").fill(slug)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    open_page: OpenPage, stack: LocalStack, api: Api, workspace: Workspace
) -> None:
    # GIVEN a person of the workspace of their own (the shared members keep their passwords)
    email = f"forgetful-{uuid.uuid4().hex[:8]}@{workspace.slug}.example.com"
    api.call("POST", "/users", workspace.tokens["admin"], {"name": "Fay Forgetful", "email": email,
                                                          "role": "agent", "password": PASSWORD})  # fmt: skip
    opened = open_page()
    page = opened.page

    # WHEN they follow "Forgot your password?" from the sign-in page and ask for a link
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1, name="Forgot your password?")).to_be_visible()
    page.get_by_label("Workspace").fill(workspace.slug)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a link").click()

    # THEN the page says to check the email
    expect(page.get_by_role("status")).to_contain_text("Check your email")
    assert violations(page) == []

    # WHEN the emailed link is opened, a weak password tried, then a strong one typed twice
    page.goto(f"/reset-password#token={reset_token(stack, email)}")
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    expect(page).not_to_have_url(re.compile("token"))  # dropped from the address bar (the check waits for it)
    assert violations(page) == []
    page.get_by_label("New password", exact=True).fill("password12")
    page.get_by_label("New password again").fill("password12")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_label("New password", exact=True)).to_have_attribute("aria-invalid", "true")
    # the browser logs the 422 itself as a console error; that one answer is expected, nothing else is
    expected = [e for e in opened.problems.console_errors if "422" in e and "/auth/password-reset/confirm" in e]
    assert len(expected) == 1
    opened.problems.console_errors.remove(expected[0])
    assert violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()

    # THEN it is changed, and the new password signs in
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Workspace").fill(workspace.slug)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
