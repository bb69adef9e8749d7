"""'Add to Slack' on the local stack, for real: the app's authorize URL opens the local Slack stand-in's
authorize page, which sends the browser back to the app's callback page with a code; the app hands it
to the API with the admin's token; slack-sdk trades it at the stand-in's ``oauth.v2.access``; the test
alert then posts with the token Slack gave. A replayed callback is refused."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from infra.local.stack import EnvOverrides, LocalStack
from tests.integration.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, INSTALL_CHANNEL, FakeSlack
from tests.integration.http import Http, Team, new_team


def _reload_settings() -> None:
    from chalicelib.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture(scope="module")
def stack(local_stack: LocalStack, fake_slack: FakeSlack) -> Iterator[LocalStack]:
    env = EnvOverrides()
    env.set(
        {
            "PULSEDESK_SLACK_API_URL": fake_slack.api_url,
            "PULSEDESK_SLACK_AUTHORIZE_URL": fake_slack.authorize_url,
            "PULSEDESK_SLACK_CLIENT_ID": CLIENT_ID,
            "PULSEDESK_SLACK_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    _reload_settings()
    yield local_stack
    env.restore()
    _reload_settings()


def test_add_to_slack_through_the_stand_in_then_a_test_alert(stack: LocalStack, fake_slack: FakeSlack) -> None:
    http = Http.for_stack(stack)
    team: Team = new_team(http, roles=())
    admin = team.tokens["admin"]

    # WHEN the admin starts, and Slack's page sends the browser back to the app
    started = http.ok("POST", "/integrations/slack/oauth/start", admin)
    redirect = requests.get(started["authorize_url"], allow_redirects=False, timeout=10)
    back = urlsplit(redirect.headers["Location"])
    assert (
        f"{back.scheme}://{back.netloc}{back.path}"
        == f"{stack.base_url.rstrip('/')}/settings/integrations/slack/callback"
    )
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    # (the callback page is the app's own: the front serves it)
    assert requests.get(redirect.headers["Location"], timeout=10).status_code == 200
    connected = http.ok("POST", "/integrations/slack/oauth/callback", admin, query)

    # THEN Slack is connected on the channel chosen during the install, and a test alert reaches it
    assert connected["connected"] is True and connected["channel"] == INSTALL_CHANNEL
    tested = http.ok("POST", "/integrations/slack/test", admin)
    assert tested["ok"] is True, tested
    assert [m["channel"] for m in fake_slack.messages_about("test alert")][-1] == INSTALL_CHANNEL

    # AND the same callback replayed is refused, naming the state
    replayed = http.call("POST", "/integrations/slack/oauth/callback", admin, query)
    assert replayed.status_code == 422 and replayed.json()["errors"][0]["field"] == "state"
