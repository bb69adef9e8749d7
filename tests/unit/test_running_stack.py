"""The backfill jobs find the DynamoDB Local that `make run` started, by its port variable."""

from __future__ import annotations

import os

import pytest

from infra.local.running_stack import point_at_running_stack
from infra.local.stack import PORT_ENV


@pytest.fixture(autouse=True)
def own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", dict(os.environ))  # what the job sets stays in this test


def test_a_job_points_at_the_running_stacks_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.setenv(PORT_ENV["dynamodb"], "18123")

    point_at_running_stack()

    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"].endswith(":18123")


def test_an_endpoint_given_by_the_caller_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")

    point_at_running_stack()

    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == "http://127.0.0.1:9"
