"""The knowledge base: writing articles (admins and leads), their history, the public help centre,
search over published articles only, suggestions and the deflection funnel."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.streams import StreamPump

ARTICLE = {
    "title": "Reset your password",
    "body": "Open **Settings**, then choose *Reset password*.\n\n[More help](https://example.com/help)",
    "category": "Account",
}


def write(api: ApiClient, workspace: Workspace, role: str = "lead", **fields: Any) -> dict[str, Any]:
    reply = api.post("/articles", {**ARTICLE, **fields}, workspace.token(role))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def edit(api: ApiClient, workspace: Workspace, article: dict[str, Any], **changes: Any) -> dict[str, Any]:
    reply = api.patch(f"/articles/{article['id']}", {**changes, "version": article["version"]}, workspace.token("lead"))
    assert reply.status == 200, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_a_lead_writes_a_draft_that_the_help_centre_does_not_show(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # WHEN a lead writes a draft
    article = write(api, workspace)
    pump.pump()

    # THEN the team sees it, rendered, with a slug made from its title
    assert article["id"] == "reset-your-password"
    assert article["status"] == "draft" and article["version"] == 1
    assert "<strong>Settings</strong>" in article["html"]
    assert article["author"]["id"] == workspace.members["lead"].id
    listed = api.get("/articles", workspace.token("admin")).body
    assert [a["id"] for a in listed["items"]] == [article["id"]] and listed["categories"] == ["Account"]
    # AND the public does not: not listed, not readable, not found
    assert api.get(f"/portal/{workspace.slug}/help").body["categories"] == []
    missing = api.get(f"/portal/{workspace.slug}/help/articles/{article['id']}")
    assert missing.status == 404 and missing.headers["Content-Type"] == "application/problem+json"
    assert api.get(f"/portal/{workspace.slug}/help/search?q=password").body["items"] == []


def test_publishing_shows_it_in_the_help_centre_and_search(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    article = write(api, workspace)
    other = write(api, workspace, title="Invoices and billing", body="Download a PDF invoice.", category="Billing")

    # WHEN both are published
    edit(api, workspace, article, status="published")
    edit(api, workspace, other, status="published")
    pump.pump()

    # THEN the help centre lists them by category, and each opens
    home = api.get(f"/portal/{workspace.slug}/help").body
    assert [c["name"] for c in home["categories"]] == ["Account", "Billing"]
    assert home["workspace"] == f"Team {workspace.slug}"
    hit = home["categories"][0]["articles"][0]
    assert hit["url"].endswith(f"/portal/{workspace.slug}/help/{article['id']}")
    page = api.get(f"/portal/{workspace.slug}/help/articles/{article['id']}").body
    assert page["title"] == "Reset your password" and "<em>Reset password</em>" in page["html"]
    # AND search finds by prefix, every word must match, title words first
    found = api.get(f"/portal/{workspace.slug}/help/search?q=passw").body["items"]
    assert [a["id"] for a in found] == [article["id"]]
    assert api.get(f"/portal/{workspace.slug}/help/search?q=password+invoice").body["items"] == []
    # AND agents find it for a reply's link
    picked = api.get("/articles/search?q=invoice", workspace.token("agent")).body["items"]
    assert [a["id"] for a in picked] == [other["id"]]


def test_search_ranks_title_matches_above_body_matches(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    body_only = write(
        api, workspace, title="Account basics", body="How to change your email address.", status="published"
    )
    in_title = write(api, workspace, title="Change your email", body="Go to your profile.", status="published")
    pump.pump()

    found = api.get(f"/portal/{workspace.slug}/help/search?q=email").body["items"]

    assert [a["id"] for a in found] == [in_title["id"], body_only["id"]]


def test_unpublishing_takes_it_out_of_search(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    article = write(api, workspace, status="published")
    pump.pump()
    assert len(api.get(f"/portal/{workspace.slug}/help/search?q=password").body["items"]) == 1

    edit(api, workspace, article, status="draft")
    pump.pump()

    assert api.get(f"/portal/{workspace.slug}/help/search?q=password").body["items"] == []
    assert api.get(f"/portal/{workspace.slug}/help/articles/{article['id']}").status == 404


def test_edits_keep_a_history_and_an_audit_trail(api: ApiClient, workspace: Workspace) -> None:
    article = write(api, workspace)
    edited = edit(api, workspace, article, title="Reset a forgotten password", status="published")

    # THEN the slug stays, the version moves, and the history shows both versions, newest first
    assert edited["id"] == article["id"] and edited["version"] == 2 and edited["published_at"]
    versions = api.get(f"/articles/{article['id']}/versions", workspace.token("admin")).body["items"]
    assert [(v["number"], v["title"], v["status"]) for v in versions] == [
        (2, "Reset a forgotten password", "published"),
        (1, "Reset your password", "draft"),
    ]
    actions = [e["action"] for e in audit_events(api, workspace) if e["target"]["type"] == "article"]
    assert actions == ["article.updated", "article.created"]


def test_a_stale_edit_is_refused_with_the_current_article(api: ApiClient, workspace: Workspace) -> None:
    article = write(api, workspace)
    edit(api, workspace, article, body="Newer text")

    reply = api.patch(f"/articles/{article['id']}", {"body": "Older edit", "version": 1}, workspace.token("admin"))

    assert reply.status == 409
    assert reply.body["current"]["body"] == "Newer text" and reply.body["current"]["version"] == 2


def test_the_same_title_gets_its_own_slug(api: ApiClient, workspace: Workspace) -> None:
    first, second = write(api, workspace), write(api, workspace)
    assert (first["id"], second["id"]) == ("reset-your-password", "reset-your-password-2")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ARTICLE, "title": " "}, "title"),
        ({**ARTICLE, "category": ""}, "category"),
        ({**ARTICLE, "status": "archived"}, "status"),
        ({"title": "No body", "category": "A"}, "body"),
        ({**ARTICLE, "title": "x" * 201}, "title"),
    ],
)
def test_bad_articles_are_refused_naming_the_field(
    api: ApiClient, shared_workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    reply = api.post("/articles", body, shared_workspace.token("admin"))
    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == field
    assert api.get("/articles", shared_workspace.token("admin")).body["items"] == []


def test_agents_and_viewers_cannot_write_articles(api: ApiClient, shared_workspace: Workspace) -> None:
    for role in ("agent", "viewer"):
        reply = api.post("/articles", ARTICLE, shared_workspace.token(role))
        assert reply.status == 403 and "articles.manage" in reply.body["detail"]


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "[x](JaVaScRiPt:alert(1))",
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_markdown_is_rendered_safely(api: ApiClient, shared_workspace: Workspace, source: str) -> None:
    html = api.post("/articles/preview", {"body": source}, shared_workspace.token("lead")).body["html"]

    tags = markup_of(html)
    assert {name for name, _ in tags} <= {"p", "a", "img", "em", "strong"}, html
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), html
        assert not any("javascript" in (attrs.get(a) or "").lower().replace(" ", "") for a in ("href", "src")), html


def markup_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element the browser would build from ``html``, with its attributes."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_the_help_centre_of_an_unknown_workspace_is_404(api: ApiClient) -> None:
    for path in (
        "/portal/no-such-team/help",
        "/portal/no-such-team/help/articles/x",
        "/portal/no-such-team/help/search?q=a",
    ):
        reply = api.get(path)
        assert reply.status == 404, path
        assert reply.headers["Content-Type"] == "application/problem+json"


def test_the_help_centre_of_one_workspace_never_shows_anothers_articles(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    article = write(api, workspace, status="published")
    pump.pump()

    assert api.get(f"/portal/{other_workspace.slug}/help/search?q=password").body["items"] == []
    assert api.get(f"/portal/{other_workspace.slug}/help/articles/{article['id']}").status == 404
    assert api.get(f"/articles/{article['id']}", other_workspace.token("admin")).status == 404


# --- suggestions and deflection ---------------------------------------------------------------------


def session() -> str:
    return uuid.uuid4().hex


def event(api: ApiClient, workspace: Workspace, kind: str, sid: str) -> dict[str, Any]:
    reply = api.post(f"/portal/{workspace.slug}/help/events", {"type": kind, "session": sid})
    assert reply.status == 200, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_suggestions_match_any_meaningful_word_of_a_subject(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    article = write(api, workspace, status="published")
    write(api, workspace, title="Draft about passwords", status="draft")
    pump.pump()

    found = api.get(f"/portal/{workspace.slug}/help/suggest?q=I+cannot+reset+my+passw").body["items"]

    assert [a["id"] for a in found] == [article["id"]]
    assert api.get(f"/portal/{workspace.slug}/help/suggest?q=hello+please+help").body["items"] == []


def test_the_funnel_counts_each_step_once_per_session_and_deflections(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN three visitors: one reads a suggestion and leaves, one reads and submits anyway, one only sees them
    leaves, submits, glances = session(), session(), session()
    for sid in (leaves, submits, glances):
        assert event(api, workspace, "suggested", sid)["counted"]
    assert event(api, workspace, "suggested", leaves)["counted"] is False  # typing on: still one session
    assert event(api, workspace, "opened", leaves)["counted"]
    assert event(api, workspace, "opened", leaves)["counted"] is False
    assert event(api, workspace, "opened", submits)["counted"]
    assert event(api, workspace, "submitted", submits)["counted"]
    assert event(api, workspace, "submitted", submits)["counted"] is False
    # a submission without an opened suggestion is not part of the funnel
    assert event(api, workspace, "submitted", glances)["counted"] is False

    # THEN the funnel reads 3 suggested, 2 opened, 1 submitted after opening: 1 deflected
    from chalicelib.domain.clock import utcnow

    today = utcnow().date().isoformat()
    funnel = api.get(f"/articles/deflection?since={today}&until={today}", workspace.token("lead")).body
    assert (funnel["suggested"], funnel["opened"], funnel["submitted_after_open"], funnel["deflected"]) == (3, 2, 1, 1)
    assert funnel["days"] == [{"day": today, "suggested": 3, "opened": 2, "submitted_after_open": 1, "deflected": 1}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "clicked", "session": "a" * 32}, "type"),
        ({"type": "opened", "session": "short"}, "session"),
        ({"type": "opened"}, "session"),
    ],
)
def test_bad_funnel_events_are_refused(
    api: ApiClient, shared_workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    reply = api.post(f"/portal/{shared_workspace.slug}/help/events", body)
    assert reply.status == 422 and reply.body["errors"][0]["field"] == field


def test_the_funnel_period_is_checked(api: ApiClient, shared_workspace: Workspace) -> None:
    token = shared_workspace.token("admin")
    assert api.get("/articles/deflection?since=2026-02-01&until=2026-01-01", token).status == 422
    assert api.get("/articles/deflection?since=2026-02-30&until=2026-03-01", token).status == 422
    assert api.get("/articles/deflection?since=2020-01-01&until=2026-01-01", token).status == 422


def test_the_funnel_defaults_to_the_last_30_days(api: ApiClient, shared_workspace: Workspace) -> None:
    funnel = api.get("/articles/deflection", shared_workspace.token("viewer")).body
    assert len(funnel["days"]) == 30 and funnel["deflected"] == 0
