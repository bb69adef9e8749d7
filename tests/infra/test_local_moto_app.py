"""The local moto server's read of the mail sent from a point on (``infra/local/moto_app.py``): what the
mail relay and the outbox read instead of moto's whole state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.moto_app import _sent_answer, sent_since

REGION = "us-east-1"
SENDER = "support@pulsedesk.local"


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SES", raising=False)
    with mock_aws():
        client = boto3.client("ses", region_name=REGION)
        client.verify_email_identity(EmailAddress=SENDER)
        yield client


def _send_simple(ses: Any, to: str) -> None:
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [to]},
        Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Body"}}},
    )


def _send_raw(ses: Any, to: str) -> None:
    raw = f"From: {SENDER}\r\nTo: {to}\r\nSubject: Raw\r\n\r\nBody\r\n"
    ses.send_raw_email(Source=SENDER, Destinations=[to], RawMessage={"Data": raw})


def test_it_answers_only_what_was_sent_after_the_point_given_grouped_as_moto_groups_it(ses: Any) -> None:
    # GIVEN two messages sent
    _send_simple(ses, "a@example.com")
    _send_raw(ses, "b@example.com")
    # WHEN everything is asked for THEN both come, by kind, with the point to ask from next time
    everything = sent_since(REGION, 0)
    assert everything["next"] == 2
    assert [m["destinations"]["ToAddresses"] for m in everything["ses"]["Message"]] == [["a@example.com"]]
    assert [set(m["destinations"]) for m in everything["ses"]["RawMessage"]] == [{"b@example.com"}]
    assert "Subject: Raw" in everything["ses"]["RawMessage"][0]["raw_data"]
    # WHEN a third is sent and the reader asks from where it stopped THEN only the third comes
    _send_raw(ses, "c@example.com")
    later = sent_since(REGION, 2)
    assert later["next"] == 3
    assert list(later["ses"]) == ["RawMessage"]
    assert [set(m["destinations"]) for m in later["ses"]["RawMessage"]] == [{"c@example.com"}]
    # WHEN nothing new was sent THEN nothing comes and the point stays
    assert sent_since(REGION, 3) == {"next": 3, "ses": {}}


def test_a_point_that_is_no_whole_number_is_refused(ses: Any) -> None:
    statuses: list[str] = []
    body = _sent_answer({"QUERY_STRING": "after=soon"}, lambda status, headers: statuses.append(status))
    assert statuses == ["400 Bad Request"] and b"after" in b"".join(body)
