"""The built dashboard in Debian's Chromium, driven by Playwright, on the real local stack.

One local stack (DynamoDB Local, moto, the app behind the local front) and one browser serve the
whole session; the workspace is made through the API in a second, so the layer stays well under
the time the demo seed would take. ``make e2e`` builds the frontend first; this layer builds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Playwright, expect, sync_playwright

from infra.local.stack import REPO_ROOT, LocalEngines, LocalStack
from tests.browser import launch_chromium
from tests.integration.http import Http, sign_up

DIST = REPO_ROOT / "frontend" / "dist"
PASSWORD = "correct horse battery"
XSS_SUBJECT = "<img src=x onerror=alert(1)>"
WIDTHS = {"phone": 360, "tablet": 768, "desktop": 1440}

# Watching for CSP violations from the page itself (they also reach the console as errors).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

expect.set_options(timeout=10_000)


@dataclass
class Workspace:
    slug: str
    emails: dict[str, str]
    ids: dict[str, str]
    tokens: dict[str, str]
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)


class Api:
    def __init__(self, base_url: str) -> None:
        self.base = f"{base_url}/api/v1"
        self.session = requests.Session()

    def call(self, method: str, path: str, token: str | None = None, body: Any = None, **headers: str) -> Any:
        sent = {**headers, **({"Authorization": f"Bearer {token}"} if token else {})}
        response = self.session.request(method, self.base + path, json=body, headers=sent, timeout=15)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    if not (DIST / "index.html").is_file():
        pytest.fail("frontend/dist is missing: run `make frontend-build` (make e2e does) first")
    engines = LocalEngines(tmp_path_factory.mktemp("engines"), dynamodb_port=0, moto_port=0)
    engines.start()
    local = LocalStack(tmp_path_factory.mktemp("stack"), front_port=0, engines=engines, app="app:app")
    try:
        local.start()
        yield local
    finally:
        local.stop()
        engines.stop()


@pytest.fixture(scope="session")
def api(stack: LocalStack) -> Api:
    return Api(stack.base_url)


TICKETS = {
    "printer": ("Printer on fire in the finance office", "high", "agent"),
    "refund": ("Refund for a duplicate charge", "normal", "agent"),
    "login": ("Cannot log in after the password reset", "urgent", None),
    "export": ("Export to CSV times out", "low", "lead"),
    "xss": (XSS_SUBJECT, "normal", "agent"),
}


@pytest.fixture(scope="session")
def workspace(api: Api, stack: LocalStack) -> Workspace:
    """A fresh workspace: an admin, a lead, an agent, and a handful of tickets (one with an HTML subject)."""
    return new_workspace(api, stack)


def new_workspace(api: Api, stack: LocalStack) -> Workspace:
    """A workspace of its own, for a test whose figures other tests must not move."""
    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    admin_email = f"admin@{slug}.example.com"
    signup = sign_up(
        Http.for_stack(stack),
        {
            "workspace_name": "E2E Support",
            "workspace_slug": slug,
            "name": "Ada Admin",
            "email": admin_email,
            "password": PASSWORD,
        },
    )
    admin = signup["access_token"]
    ws = Workspace(slug, {"admin": admin_email}, {"admin": signup["user"]["id"]}, {"admin": admin})
    api.call("PUT", "/settings/routing", admin, {"auto_assign_default": False})
    for role, name in (("lead", "Lena Lead"), ("agent", "Arjun Agent")):
        email = f"{role}@{slug}.example.com"
        user = api.call(
            "POST",
            "/users",
            admin,
            {"name": name, "email": email, "role": role, "password": PASSWORD, "capacity": 10},
        )
        ws.emails[role], ws.ids[role] = email, user["id"]
    for key, (subject, priority, assignee) in TICKETS.items():
        ws.tickets[key] = api.call(
            "POST",
            "/tickets",
            admin,
            {
                "subject": subject,
                "description": f"Details about: {subject}",
                "requester": {"email": f"{key}@customer.example", "name": f"Customer {key.title()}"},
                "priority": priority,
                "queue": "support",
                "tags": ["e2e"],
                "assignee_id": ws.ids[assignee] if assignee else None,
            },
        )
    return ws


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = launch_chromium(playwright)
    yield launched
    launched.close()


@dataclass
class PageProblems:
    """What must never happen on a page: console errors, uncaught exceptions, dialogs, CSP violations."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._on_dialog)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@dataclass
class OpenedPage:
    page: Page
    problems: PageProblems


OpenPage = Callable[..., OpenedPage]


@pytest.fixture
def open_page(browser: Browser, stack: LocalStack) -> Iterator[OpenPage]:
    """Opens a page in a new browser context (its own storage: one signed-in person each).

    After the test, every page opened must have had no console error, uncaught exception, dialog
    or CSP violation."""
    opened: list[OpenedPage] = []

    def open_(width: int = WIDTHS["desktop"], height: int = 900) -> OpenedPage:
        context = browser.new_context(base_url=stack.base_url, viewport={"width": width, "height": height})
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        problems = PageProblems()
        problems.watch(page)
        opened.append(OpenedPage(page, problems))
        return opened[-1]

    yield open_
    reports = []
    for entry in opened:
        csp: list[str] = []
        if not entry.page.is_closed():
            try:
                csp = entry.page.evaluate("window.__cspViolations || []")
            except Exception:  # a page mid-navigation: its console still reported any violation
                csp = []
        problems = entry.problems
        found = {
            "console errors": problems.console_errors,
            "uncaught exceptions": problems.page_errors,
            "dialogs": problems.dialogs,
            "CSP violations": csp,
        }
        found = {name: items for name, items in found.items() if items}
        if found:
            reports.append(f"{entry.page.url}: {json.dumps(found, indent=2)}")
        entry.page.context.close()
    assert not reports, "problems on pages:\n" + "\n".join(reports)


def sign_in(page: Page, workspace: Workspace, role: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Workspace").fill(workspace.slug)
    page.get_by_label("Email").fill(workspace.emails[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def wait_until_live(page: Page) -> None:
    expect(page.locator(".live-indicator")).to_have_text("Live updates: Live")
