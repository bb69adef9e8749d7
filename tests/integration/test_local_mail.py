"""The local mail path itself, proven with a throwaway Chalice app (independent of Pulsedesk's parsing):
SMTP for the inbound domain only, with a size limit; the raw message stored under ``raw/`` in the inbound
bucket; S3's ObjectCreated notification reaching the app's ``on_s3_event`` handler through the event runner,
shaped as S3 hands it to Lambda; retries then a dead letter; outbound SES mail for the inbound domain relayed
back into the SMTP server."""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY  # CRLF line ends, as on the wire
from typing import Any

import boto3
import pytest
from chalice.app import Chalice, S3Event

from infra.local.batches import RetryPolicy
from infra.local.processes import LOOPBACK
from infra.local.stack import LocalEngines, LocalStack

MAX_BYTES = 64 * 1024


@dataclass
class Received:
    events: list[dict[str, Any]] = field(default_factory=list)
    raise_for: set[str] = field(default_factory=set)  # subjects whose handler call raises
    lock: threading.Lock = field(default_factory=threading.Lock)

    def with_key(self, key: str) -> list[dict[str, Any]]:
        with self.lock:
            return [e for e in self.events if e["Records"][0]["s3"]["object"]["key"] == key]


def build_mail_app(bucket: str, received: Received) -> Chalice:
    app = Chalice(app_name="mailharness")

    @app.on_s3_event(bucket=bucket, events=["s3:ObjectCreated:*"], prefix="raw/", name="inbound_email")
    def inbound_email(event: S3Event) -> None:
        with received.lock:
            received.events.append(event.to_dict())
        body = boto3.client("s3").get_object(Bucket=event.bucket, Key=event.key)["Body"].read()
        if any(f"Subject: {subject}".encode() in body for subject in received.raise_for):
            raise RuntimeError("handler crashed")

    return app


@pytest.fixture(scope="module")
def received() -> Received:
    return Received()


@pytest.fixture(scope="module")
def mail_stack(
    local_engines: LocalEngines, tmp_path_factory: pytest.TempPathFactory, received: Received
) -> Iterator[LocalStack]:
    mp = pytest.MonkeyPatch()
    mp.setenv("PULSEDESK_SMTP_MAX_BYTES", str(MAX_BYTES))
    app = build_mail_app(local_engines.settings["PULSEDESK_INBOUND_BUCKET"], received)
    stack = LocalStack(
        tmp_path_factory.mktemp("mail"),
        front_port=0,
        smtp_port=0,
        engines=local_engines,
        app=app,
        retry=RetryPolicy(max_retries=3, base_delay_seconds=0.05),
    )
    stack.start()
    yield stack
    stack.stop()
    mp.undo()


def wait_for(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def message(to: str, subject: str, body: str = "Hello there") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Ada Customer <ada@customer.example>"
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def send(stack: LocalStack, mail: EmailMessage) -> str:
    """Sends over SMTP; returns the id the server queued the message as (its key is ``raw/<id>``)."""
    with smtplib.SMTP(LOOPBACK, stack.smtp_port) as smtp:
        smtp.ehlo("client.customer.example")
        smtp.mail("ada@customer.example")
        for recipient in mail.get_all("To"):
            code, answer = smtp.rcpt(recipient)
            assert code == 250, answer
        code, answer = smtp.data(mail.as_bytes(policy=SMTP_POLICY))
        assert code == 250, answer
    return answer.decode().rsplit(" ", 1)[-1]


def test_mail_for_the_inbound_domain_is_stored_and_reaches_the_handler_as_an_s3_event(
    mail_stack: LocalStack, received: Received
) -> None:
    # GIVEN a customer writing to the workspace's support address
    address = f"demo@{mail_stack.inbound_domain}"
    # WHEN the message is sent over SMTP
    queued_as = send(mail_stack, message(address, "Printer on fire"))
    # THEN the handler gets one ObjectCreated event for raw/<id>, shaped as S3 gives it to Lambda
    key = f"raw/{queued_as}"
    (event,) = wait_for(lambda: received.with_key(key))
    (record,) = event["Records"]
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"].startswith("ObjectCreated:")
    bucket = mail_stack.engines.settings["PULSEDESK_INBOUND_BUCKET"]
    assert record["s3"]["bucket"]["name"] == bucket
    assert record["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
    assert record["s3"]["object"]["sequencer"] and record["userIdentity"]["principalId"]
    # AND the stored object is the message with the receiving server's trace headers on top
    s3 = boto3.client("s3", endpoint_url=mail_stack.moto_endpoint, region_name="us-east-1")
    raw = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert raw.startswith(b"Return-Path: <ada@customer.example>\r\nReceived: from client.customer.example")
    assert f"for <{address}>".encode() in raw
    assert b"Subject: Printer on fire" in raw and b"Hello there" in raw


def test_other_domains_are_refused_at_rcpt_with_a_clear_code(mail_stack: LocalStack) -> None:
    with smtplib.SMTP(LOOPBACK, mail_stack.smtp_port) as smtp:
        smtp.ehlo("client.customer.example")
        smtp.mail("ada@customer.example")
        code, answer = smtp.rcpt("someone@elsewhere.example")
    assert code == 550
    assert b"relay access denied" in answer and mail_stack.inbound_domain.encode() in answer


def test_a_message_over_the_size_limit_is_refused_and_never_stored(mail_stack: LocalStack, received: Received) -> None:
    address = f"demo@{mail_stack.inbound_domain}"
    mail = message(address, "Too big", ("x" * 70 + "\n") * (MAX_BYTES // 70)).as_bytes(policy=SMTP_POLICY)
    with smtplib.SMTP(LOOPBACK, mail_stack.smtp_port) as smtp:
        smtp.ehlo("client.customer.example")
        assert smtp.has_extn("size") and int(smtp.esmtp_features["size"]) == MAX_BYTES
        # a client that declares the size (SIZE=) is refused at MAIL FROM
        with pytest.raises(smtplib.SMTPSenderRefused) as declared:
            smtp.sendmail("ada@customer.example", [address], mail)
        assert declared.value.smtp_code == 552
    with smtplib.SMTP(LOOPBACK, mail_stack.smtp_port) as smtp:
        # one that does not is refused after DATA
        smtp.ehlo("client.customer.example")
        smtp.mail("ada@customer.example")
        smtp.rcpt(address)
        code, _ = smtp.data(mail)
    assert code == 552
    bucket = mail_stack.engines.settings["PULSEDESK_INBOUND_BUCKET"]
    s3 = boto3.client("s3", endpoint_url=mail_stack.moto_endpoint, region_name="us-east-1")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="raw/").get("Contents", [])]
    assert all(b"Subject: Too big" not in s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys)


def test_a_failing_handler_is_retried_twice_then_dead_lettered(mail_stack: LocalStack, received: Received) -> None:
    # GIVEN a handler that raises for this message, WHEN it arrives
    received.raise_for.add("Crash me")
    key = f"raw/{send(mail_stack, message(f'demo@{mail_stack.inbound_domain}', 'Crash me'))}"
    # THEN the invocation is made three times in all (Lambda's asynchronous retries), then given up on
    letter = wait_for(
        lambda: [d for d in mail_stack.dead_letters if d.records[0]["s3"]["object"]["key"] == key], timeout=20
    )
    assert letter[0].source == "inbound_email"
    assert len(received.with_key(key)) == 3


def test_outbound_mail_to_the_inbound_domain_comes_back_in_through_smtp(
    mail_stack: LocalStack, received: Received
) -> None:
    # GIVEN the app sending a mail through SES to an address of the inbound domain
    ses = boto3.client("ses", endpoint_url=mail_stack.moto_endpoint, region_name="us-east-1")
    sender = "support@pulsedesk.local"
    ses.verify_email_identity(EmailAddress=sender)
    mail = message(f"demo@{mail_stack.inbound_domain}", "Test email from the settings page")
    mail.replace_header("From", sender)
    ses.send_raw_email(Source=sender, RawMessage={"Data": mail.as_bytes(policy=SMTP_POLICY)})
    s3 = boto3.client("s3", endpoint_url=mail_stack.moto_endpoint, region_name="us-east-1")

    def arrived(subject: str) -> list[dict[str, Any]]:
        with received.lock:
            events = list(received.events)
        found = []
        for event in events:
            s3_data = event["Records"][0]["s3"]
            body = s3.get_object(Bucket=s3_data["bucket"]["name"], Key=s3_data["object"]["key"])["Body"].read()
            if f"Subject: {subject}".encode() in body:
                found.append(event)
        return found

    # THEN it reaches the handler as received mail, once
    assert len(wait_for(lambda: arrived("Test email from the settings page"))) == 1
