"""Sending mail to the local stack over SMTP, as a customer's mail server would, and reading what it sent."""

from __future__ import annotations

import smtplib
import time
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from typing import TYPE_CHECKING, Any, TypeVar

from infra.local.processes import LOOPBACK
from tests.integration.http import outbox

if TYPE_CHECKING:
    from infra.local.stack import LocalStack

T = TypeVar("T")
# A bound so a broken test cannot hang, not a performance assertion: in the whole layer, mail waits its turn
# behind earlier tests' notification jobs (one local consumer works through the shared queue in order).
WAIT_SECONDS = 240.0  # the first reply waited 84 s behind test_assignment_flow's jobs in a full run


def support_address(stack: LocalStack, slug: str) -> str:
    return f"{slug}@{stack.inbound_domain}"


def customer_mail(
    to: str,
    subject: str = "Printer on fire",
    body: str = "It is on fire. Please help.",
    sender: str = "Ada Customer <ada@customer.example>",
    **headers: str,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{uuid.uuid4().hex}@customer.example>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


def send_smtp(stack: LocalStack, mail: EmailMessage) -> str:
    """Hands the message to the local SMTP server; returns the id it was queued as."""
    recipients = [address.addr_spec for header in ("To", "Cc") for address in getattr(mail[header], "addresses", ())]
    sender = mail["From"].addresses[0].addr_spec
    with smtplib.SMTP(LOOPBACK, stack.smtp_port, timeout=30) as smtp:
        smtp.ehlo("mx.customer.example")
        smtp.mail(sender)
        for recipient in recipients:
            code, answer = smtp.rcpt(recipient)
            if code != 250:
                raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
        code, answer = smtp.data(mail.as_bytes(policy=SMTP_POLICY))
        assert code == 250, answer
    return answer.decode().rsplit(" ", 1)[-1]


def eventually(probe: Callable[[], T | None], timeout: float = WAIT_SECONDS, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} not met within {timeout:.0f} s")


def emails_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    return [m for m in outbox(stack) if address.lower() in [a.lower() for a in m["to"]]]
