"""Joining by invitation in the browser (issue 17, item 6): an admin invites an address on the Team page,
the invitation email is in the outbox, the invitee opens the link, chooses a name and a password, and is
in; the Team page then shows nothing pending. axe finds nothing on either page at any width."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from infra.local.stack import LocalStack
from tests.e2e.conftest import WIDTHS, OpenPage, Workspace, sign_in
from tests.e2e.test_accessibility import settled, violations
from tests.integration.mail import emails_to, eventually

LINK = re.compile(r"(/accept-invitation#token=[A-Za-z0-9_-]+)")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_invited_person_chooses_a_password_and_joins(
    open_page: OpenPage, workspace: Workspace, stack: LocalStack, width: int
) -> None:
    address = f"nia-{uuid.uuid4().hex[:8]}@{workspace.slug}.example.com"
    # GIVEN the admin on the Team page
    admin = open_page(width=width).page
    sign_in(admin, workspace, "admin")
    admin.goto("/team")
    settled(admin)
    # WHEN they invite an address as an agent
    form = admin.get_by_role("form", name="Invite a team member")
    form.get_by_label("Email").fill(address)
    form.get_by_label("Role").select_option("agent")
    form.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text(f"Invitation sent to {address}.")).to_be_visible()
    expect(admin.get_by_role("button", name=f"Revoke the invitation to {address}")).to_be_visible()
    assert violations(admin) == []
    if width == WIDTHS["desktop"]:
        admin.screenshot(path="/tmp/p/invite-desktop.png", full_page=True)

    # THEN the invitation is in the outbox with its one-time link
    mail = eventually(lambda: emails_to(stack, address), what="the invitation email")[-1]
    found = LINK.search(mail["text"] or "")
    assert found is not None, mail["text"]

    # WHEN the invitee opens it and chooses a name and a password
    invitee = open_page(width=width).page
    invitee.goto(found.group(1))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join your team on Pulsedesk")
    assert violations(invitee) == []
    if width == WIDTHS["phone"]:
        invitee.screenshot(path="/tmp/p/accept-phone.png", full_page=True)
    invitee.get_by_label("Your name").fill("Nia Newcomer")
    invitee.get_by_label("Password").fill("amber kestrel lighthouse 9")
    invitee.get_by_role("button", name="Join the workspace").click()

    # THEN they are signed in, as themselves
    expect(invitee.get_by_role("button", name="Sign out")).to_be_visible()
    expect(invitee.locator(".user-chip")).to_contain_text("Nia Newcomer")
    # AND the admin's list no longer shows the invitation
    admin.reload()
    expect(admin.get_by_role("button", name=f"Revoke the invitation to {address}")).to_have_count(0)
