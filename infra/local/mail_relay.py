"""Outbound mail addressed to the inbound domain, delivered to the local SMTP server as the internet would.

In AWS, mail SES sends to ``reply+…@<inbound domain>`` or ``<workspace>@<inbound domain>`` (the "send a
test email" button) travels through MX records back into SES receiving. Locally SES is moto, which keeps
what it was asked to send; this relay reads what was sent since its last look (``infra.local.moto_app``'s
``/_local/ses/sent``, one small request while nothing was sent) and hands each such message to the local
SMTP server. Mail to other domains stays in the outbox.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
import smtplib
import threading
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

import requests

from infra.local.activity import Activity, Pacing
from infra.local.moto_app import SENT_PATH
from infra.local.processes import LOOPBACK

log = logging.getLogger("pulsedesk.local.relay")
CHECK_SECONDS = 0.25
IDLE_CHECK_SECONDS = 2.0  # nothing happened lately: nothing was sent
# Stacks sharing one moto server (tests) share its SES outbox: each message is claimed by one relay only.
_claimed: dict[str, set[str]] = {}
_claim_lock = threading.Lock()


def _claim(moto_endpoint: str, message_id: str) -> bool:
    with _claim_lock:
        claimed = _claimed.setdefault(moto_endpoint, set())
        if message_id in claimed:
            return False
        claimed.add(message_id)
        return True


_CRLF = re.compile(rb"\r?\n")


def _at_domain(addresses: list[str], domain: str) -> list[str]:
    return [a for a in addresses if a.rpartition("@")[2].lower() == domain.lower()]


def _header_addresses(message: EmailMessage, *headers: str) -> list[str]:
    found: list[str] = []
    for header in headers:
        value = message.get(header)
        if value is not None:
            found += [address.addr_spec for address in value.addresses]
    return found


def deliveries_from_moto(data: Mapping[str, Any], domain: str) -> list[tuple[str, str, list[str], bytes]]:
    """``(id, envelope sender, recipients at the domain, raw message)`` for every SES message to the domain
    (``data``: moto's SES section, ``{"ses": {"RawMessage": [...], "Message": [...]}}``)."""
    ses = data.get("ses", {})
    found = []
    for sent in ses.get("RawMessage", []):
        raw = (sent.get("raw_data") or "").encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        recipients = list(sent.get("destinations") or []) or _header_addresses(parsed, "To", "Cc", "Bcc")
        found.append((str(sent.get("id")), str(sent.get("source") or ""), _at_domain(recipients, domain), raw))
    for sent in ses.get("Message", []):
        destinations = sent.get("destinations") or {}
        recipients = [*destinations.get("ToAddresses", []), *destinations.get("CcAddresses", [])]
        recipients += destinations.get("BccAddresses", [])
        found.append((str(sent.get("id")), str(sent.get("source") or ""), _at_domain(recipients, domain), b""))
    return [(mid, sender, rcpts, raw) for mid, sender, rcpts, raw in found if rcpts]


def _simple_as_mime(sent: Mapping[str, Any]) -> bytes:
    message = EmailMessage()
    message["From"] = sent.get("source") or ""
    message["To"] = ", ".join((sent.get("destinations") or {}).get("ToAddresses", []))
    message["Subject"] = sent.get("subject") or ""
    message.set_content(sent.get("body") or "")
    return message.as_bytes()


class OutboundMailRelay:
    def __init__(
        self, moto_endpoint: str, region: str, smtp_port: int, inbound_domain: str, activity: Activity | None = None
    ) -> None:
        self._activity = activity or Activity()  # mail is sent by handlers: idle, the relay checks rarely
        self._moto = moto_endpoint
        self._region = region
        self._smtp_port = smtp_port
        self._domain = inbound_domain
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-relay", daemon=True)
        self._next = 0  # SES's sent list from here on is new to this relay

    def start(self) -> None:
        """Mail sent before this relay started (another stack on the same engines) is not replayed."""
        data = self._sent_since(0)
        for message_id, *_ in deliveries_from_moto(data, self._domain):
            _claim(self._moto, message_id)
        self._next = int(data["next"])
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._activity.poke()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        pacing = Pacing(self._activity, CHECK_SECONDS, IDLE_CHECK_SECONDS)
        while not self._stop.is_set():
            pacing.pause(self._activity.generation, self._stop)  # idle: woken by the next sign of life
            if self._stop.wait(CHECK_SECONDS):  # busy: no more often than every CHECK_SECONDS
                return
            try:
                self._relay_new()
            except Exception:
                log.exception("relaying outbound mail to the local SMTP server failed; retrying")

    def _sent_since(self, after: int) -> dict[str, Any]:
        answer = requests.get(
            f"{self._moto}{SENT_PATH}", params={"region": self._region, "after": str(after)}, timeout=10
        )
        answer.raise_for_status()
        data: dict[str, Any] = answer.json()
        return data

    def _relay_new(self) -> None:
        data = self._sent_since(self._next)
        self._next = int(data["next"])
        simple = {str(m.get("id")): m for m in data.get("ses", {}).get("Message", [])}
        for message_id, sender, recipients, raw in deliveries_from_moto(data, self._domain):
            if not _claim(self._moto, message_id):  # delivered at most once, like a relay that got its 250 or gave up
                continue
            body = _CRLF.sub(b"\r\n", raw or _simple_as_mime(simple[message_id]))  # SMTP lines end in CRLF
            try:
                with smtplib.SMTP(LOOPBACK, self._smtp_port, timeout=30) as smtp:
                    smtp.sendmail(sender, recipients, body)
            except smtplib.SMTPException as error:
                log.warning("the local SMTP server refused SES message %s: %s", message_id, error)
            else:
                log.info("relayed SES message %s to %s", message_id, ", ".join(recipients))
