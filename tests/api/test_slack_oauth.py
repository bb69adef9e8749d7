"""'Add to Slack' (issue 17, item 8): Slack's OAuth v2 against the local Slack stand-in. The state is
bound to the admin's own sign-in, lasts ten minutes and works once; a tampered, expired, replayed or
someone else's state is refused and stores nothing. The token paste stays as the fallback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.api.client import PASSWORD, ApiClient, Workspace, audit_events, login
from tests.api.notifications_support import overridden_settings
from tests.integration.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, INSTALL_CHANNEL, TOKEN, FakeSlack


@pytest.fixture
def slack_app(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    with overridden_settings(
        PULSEDESK_SLACK_API_URL=fake_slack.api_url,
        PULSEDESK_SLACK_AUTHORIZE_URL=fake_slack.authorize_url,
        PULSEDESK_SLACK_CLIENT_ID=CLIENT_ID,
        PULSEDESK_SLACK_CLIENT_SECRET=CLIENT_SECRET,
    ):
        yield fake_slack


def start(api: ApiClient, token: str) -> dict[str, str]:
    started = api.post("/integrations/slack/oauth/start", None, token)
    assert started.status == 200, started.body
    return started.body  # type: ignore[no-any-return]


def allow(authorize_url: str) -> dict[str, str]:
    """The admin clicks "Allow" on Slack's page: Slack sends the browser back with a code and the state."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/settings/integrations/slack/callback"
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def finish(api: ApiClient, token: str, code: str, state: str) -> Any:
    return api.post("/integrations/slack/oauth/callback", {"code": code, "state": state}, token)


def not_connected(api: ApiClient, workspace: Workspace) -> bool:
    return api.get("/integrations/slack", workspace.token("admin")).body == {"connected": False}  # type: ignore[no-any-return]


def test_add_to_slack_stores_the_bot_token_and_channel_like_the_paste(
    api: ApiClient, workspace: Workspace, slack_app: FakeSlack
) -> None:
    admin = workspace.token("admin")
    assert api.get("/integrations/slack/oauth", admin).body == {"available": True}

    # WHEN the admin starts "Add to Slack"
    started = start(api, admin)

    # THEN the authorize URL is Slack's OAuth v2 with our client, the scopes, a state and our callback page
    url = urlsplit(started["authorize_url"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert started["authorize_url"].startswith(slack_app.authorize_url + "?")
    assert query["client_id"] == CLIENT_ID and "chat:write" in query["scope"].split(",")
    assert query["redirect_uri"].endswith("/settings/integrations/slack/callback") and query["state"]

    # WHEN Slack sends the browser back and the app hands the code and state over
    back = allow(started["authorize_url"])
    connected = finish(api, admin, back["code"], back["state"])

    # THEN Slack is connected as a bot on the channel chosen during the install, the token masked
    assert connected.status == 200, connected.body
    assert connected.body["connected"] is True and connected.body["mode"] == "bot"
    assert connected.body["channel"] == INSTALL_CHANNEL
    assert TOKEN not in str(connected.body) and CLIENT_SECRET not in str(connected.body)
    assert "integration.slack.connected" in [e["action"] for e in audit_events(api, workspace)]
    # AND the test call posts with the token Slack gave
    tested = api.post("/integrations/slack/test", None, admin)
    assert tested.status == 200 and tested.body["ok"] is True, tested.body


def test_a_tampered_state_is_refused(api: ApiClient, workspace: Workspace, slack_app: FakeSlack) -> None:
    back = allow(start(api, workspace.token("admin"))["authorize_url"])
    head, payload, signature = back["state"].split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}"

    refused = finish(api, workspace.token("admin"), back["code"], forged)

    assert refused.status == 422 and refused.body["errors"][0]["field"] == "state", refused.body
    assert not_connected(api, workspace)


def test_an_expired_state_is_refused(
    api: ApiClient, workspace: Workspace, slack_app: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.domain.clock import utcnow
    from chalicelib.services import slack_oauth

    back = allow(start(api, workspace.token("admin"))["authorize_url"])
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr(slack_oauth, "utcnow", lambda: later)

    refused = finish(api, workspace.token("admin"), back["code"], back["state"])

    assert refused.status == 422 and "expired" in refused.body["errors"][0]["message"], refused.body
    assert not_connected(api, workspace)


def test_a_state_works_once(api: ApiClient, workspace: Workspace, slack_app: FakeSlack) -> None:
    admin = workspace.token("admin")
    back = allow(start(api, admin)["authorize_url"])
    assert finish(api, admin, back["code"], back["state"]).status == 200
    assert api.delete("/integrations/slack", admin).status == 204

    # WHEN the same callback is replayed (a fresh code from Slack cannot help it)
    replayed = finish(api, admin, back["code"], back["state"])

    assert replayed.status == 422 and "used already" in replayed.body["errors"][0]["message"], replayed.body
    assert not_connected(api, workspace)


def test_another_admin_or_another_sign_in_cannot_finish_it(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, slack_app: FakeSlack
) -> None:
    # GIVEN a state started by the admin, and a second admin of the same workspace
    back = allow(start(api, workspace.token("admin"))["authorize_url"])
    email = f"second-{uuid.uuid4().hex[:6]}@{workspace.slug}.example.com"
    made = api.post(
        "/users", {"name": "Second", "email": email, "role": "admin", "password": PASSWORD}, workspace.token("admin")
    )
    assert made.status == 201, made.body
    second = login(api, workspace, email).body["access_token"]
    # AND the same admin signed in a second time (another session)
    again = login(api, workspace, workspace.members["admin"].email).body["access_token"]

    # THEN neither can finish it, nor can an admin of another workspace
    for token in (second, again, other_workspace.token("admin")):
        refused = finish(api, token, back["code"], back["state"])
        assert refused.status == 422 and refused.body["errors"][0]["field"] == "state", refused.body
    assert not_connected(api, workspace) and not_connected(api, other_workspace)
    # AND the rightful admin still can (the refusals spent nothing)
    assert finish(api, workspace.token("admin"), back["code"], back["state"]).status == 200


def test_a_code_slack_refuses_stores_nothing(api: ApiClient, workspace: Workspace, slack_app: FakeSlack) -> None:
    back = allow(start(api, workspace.token("admin"))["authorize_url"])
    refused = finish(api, workspace.token("admin"), "not-a-code-slack-gave", back["state"])
    assert refused.status == 422 and refused.body["errors"][0]["field"] == "code", refused.body
    assert "invalid_code" in refused.body["errors"][0]["message"]
    assert not_connected(api, workspace)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"state": "x"}, "code"), ({"code": "x"}, "state"), ({"code": "x y", "state": "s"}, "code")],
)
def test_a_malformed_callback_is_refused(
    api: ApiClient, workspace: Workspace, slack_app: FakeSlack, body: dict[str, str], field: str
) -> None:
    refused = api.post("/integrations/slack/oauth/callback", body, workspace.token("admin"))
    assert refused.status == 422 and refused.body["errors"][0]["field"] == field


def test_without_a_slack_app_the_paste_is_the_way(api: ApiClient, workspace: Workspace) -> None:
    with overridden_settings(PULSEDESK_SLACK_CLIENT_ID=""):
        assert api.get("/integrations/slack/oauth", workspace.token("admin")).body == {"available": False}
        refused = api.post("/integrations/slack/oauth/start", None, workspace.token("admin"))
        assert refused.status == 409 and "paste a bot token" in refused.body["detail"]


def test_a_deployed_stage_reads_the_client_secret_from_its_stage_secret(
    api: ApiClient, workspace: Workspace, slack_app: FakeSlack, aws: None
) -> None:
    """In AWS no function's configuration holds the client secret: the stage secret does, at the deployed version."""
    import boto3
    from aws_lambda_powertools.utilities import parameters

    from infra.aws.secrets import ensure_secret, set_slack_client_secret

    name = f"pulsedesk/slack-{uuid.uuid4().hex[:8]}/app"
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    ensure_secret(secrets, name, "prod")
    deployed = set_slack_client_secret(secrets, name, CLIENT_SECRET)
    parameters.clear_caches()
    admin = workspace.token("admin")
    back = allow(start(api, admin)["authorize_url"])
    try:
        with overridden_settings(
            PULSEDESK_SLACK_CLIENT_SECRET="",
            PULSEDESK_JWT_SIGNING_SECRET=name,
            PULSEDESK_JWT_SIGNING_SECRET_VERSION=deployed,
        ):
            # WHEN the admin comes back from Slack on a stage whose settings hold no client secret
            connected = finish(api, admin, back["code"], back["state"])
    finally:
        parameters.clear_caches()
        secrets.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)

    # THEN the code was exchanged with the secret from Secrets Manager (the stand-in checks it)
    assert connected.status == 200, connected.body
    assert connected.body["connected"] is True and connected.body["mode"] == "bot"
