"""API tests: every route through chalice.test.Client against moto's DynamoDB.

Tables are created once per session; each test works in a fresh workspace, which tenant isolation
keeps apart from every other test's data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.api.client import ApiClient, Workspace, new_workspace
from tests.api.moto_transactions import fast_moto_dynamodb
from tests.api.notifications_support import QueuePump, overridden_settings
from tests.api.response_contract import ResponseContract
from tests.api.streams import StreamPump
from tests.integration.fakes.slack_api import FakeSlack


@pytest.fixture(scope="session", autouse=True)
def fast_moto_transactions() -> Iterator[None]:
    """moto copies and sorts whole tables on every transaction and query; keep API tests fast."""
    with fast_moto_dynamodb():
        yield


@pytest.fixture(autouse=True)
def response_contract(monkeypatch: pytest.MonkeyPatch) -> Iterator[ResponseContract]:
    """Fails any test during which a route answered something its declared response model does not
    describe (a test that provokes one on purpose empties ``violations``)."""
    from chalicelib.api import routing

    contract = ResponseContract()
    monkeypatch.setattr(routing, "serialised", contract.wrap(routing.serialised))
    yield contract
    assert not contract.violations, "answers that do not match their declared model:\n" + "\n".join(contract.violations)


@pytest.fixture(scope="session")
def aws() -> Iterator[None]:
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[name]
    with mock_aws():
        from chalicelib.data.models import TABLE_MODELS
        from chalicelib.data.store import reset_connections

        reset_connections()
        for model in TABLE_MODELS:
            model.create_table(wait=True)
        from tests.api.notifications_support import create_notification_infra

        create_notification_infra()
        yield


@pytest.fixture(scope="session")
def api(aws: None) -> Iterator[ApiClient]:
    from chalice.test import Client

    from app import app

    with Client(app, project_dir=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))) as client:
        yield ApiClient(client)


@pytest.fixture
def workspace(api: ApiClient) -> Workspace:
    """A new workspace with one user of every role, each signed in."""
    return new_workspace(api)


@pytest.fixture
def other_workspace(api: ApiClient) -> Workspace:
    return new_workspace(api)


@pytest.fixture(scope="module")
def shared_workspace(api: ApiClient) -> Workspace:
    """One workspace for a whole module, for tests that only read or that change nothing shared."""
    return new_workspace(api)


@pytest.fixture(scope="module")
def shared_other_workspace(api: ApiClient) -> Workspace:
    return new_workspace(api)


@pytest.fixture
def pump(api: ApiClient) -> StreamPump:
    """Delivers the main table's stream records to the app's stream handlers on demand."""
    from chalicelib.settings import physical_table_name

    return StreamPump(api.chalice, physical_table_name("main"))


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    """The local Slack Web API stand-in (chat.postMessage, users.info, a response_url)."""
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture
def queue(api: ApiClient, fake_slack: FakeSlack) -> Iterator[QueuePump]:
    """The notification queue, emptied, with Slack pointed at the stand-in and retries immediate
    (modules that need other settings define their own)."""
    with overridden_settings(PULSEDESK_SLACK_API_URL=fake_slack.api_url, PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump
