"""The local stand-in for SES receiving: an SMTP server (aiosmtpd) on loopback that accepts mail for the
inbound domain only and stores each message in the inbound bucket under ``raw/``, as SES's S3 action does.

It never calls the app: the bucket's ObjectCreated notification reaches the app's ``on_s3_event`` handler
through the event runner (``infra.local.s3_events``), the way S3 invokes the function in AWS. The message is
accepted (250) only once it is stored; a storage failure is a temporary refusal (451), so the sender retries.

Like SES, the stored message starts with the headers the receiving server adds (``Return-Path`` and a
``Received`` trace line); SES's spam and virus verdict headers are not added, since nothing scans here.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import secrets
from dataclasses import dataclass

import boto3
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from infra.local.inbound_mail import RAW_PREFIX
from infra.local.processes import LOOPBACK

log = logging.getLogger("pulsedesk.local.smtp")

SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024  # SES receiving refuses larger messages (headers included)
SERVER_NAME = "inbound-smtp.pulsedesk.local"


@dataclass(frozen=True)
class SmtpConfig:
    port: int
    inbound_domain: str
    bucket: str
    s3_endpoint: str
    region: str
    max_message_bytes: int = SES_MAX_MESSAGE_BYTES


def refusal_for(address: str, inbound_domain: str) -> str | None:
    """The SMTP reply refusing a recipient outside the inbound domain (``None``: accept it)."""
    local, at, domain = address.rpartition("@")
    if not (at and local and domain.lower() == inbound_domain.lower()):
        return f"550 5.7.1 <{address}>: relay access denied; this server accepts mail for @{inbound_domain} only"
    return None


def new_message_id() -> str:
    """An id shaped like SES's (40 lowercase letters and digits); the object key is ``raw/<id>``."""
    return secrets.token_hex(20)


def trace_headers(envelope: Envelope, session: Session, message_id: str) -> bytes:
    """What the receiving MTA puts on top of the message: the envelope sender and a ``Received`` line."""
    recipients = envelope.rcpt_tos
    peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
    helo = session.host_name or "unknown"
    for_clause = f"\r\n\tfor <{recipients[0]}>" if len(recipients) == 1 else ""
    received = (
        f"Received: from {helo} ({peer})\r\n\tby {SERVER_NAME} (Pulsedesk local SMTP) with ESMTP id {message_id}"
        f"{for_clause};\r\n\t{email.utils.formatdate(localtime=False, usegmt=True)}\r\n"
    )
    return f"Return-Path: <{envelope.mail_from or ''}>\r\n{received}".encode()


class InboundHandler:
    """aiosmtpd's handler hooks: refuse foreign recipients at RCPT, store the message at DATA."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config
        self._s3 = boto3.session.Session(region_name=config.region).client("s3", endpoint_url=config.s3_endpoint)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = refusal_for(address, self._config.inbound_domain)
        if refusal is not None:
            log.info("refused recipient %s from %s", address, session.peer)
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message_id = new_message_id()
        raw = trace_headers(envelope, session, message_id) + content
        key = RAW_PREFIX + message_id
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._store, key, raw)
        except Exception:
            log.exception("could not store message %s; refused for now, the sender retries", message_id)
            return "451 4.3.0 could not store the message; try again later"
        log.info(
            "accepted %s from <%s> for %s (%d bytes) -> s3://%s/%s",
            message_id,
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
            len(raw),
            self._config.bucket,
            key,
        )
        return f"250 2.0.0 Ok: queued as {message_id}"

    def _store(self, key: str, raw: bytes) -> None:
        self._s3.put_object(Bucket=self._config.bucket, Key=key, Body=raw)


class LocalSmtpServer:
    """``start()`` listens on ``config.port`` (resolve 0 to a free port first); ``stop()`` closes it."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._controller = Controller(
            InboundHandler(config),
            hostname=LOOPBACK,
            port=config.port,
            server_hostname=SERVER_NAME,
            data_size_limit=config.max_message_bytes,
            ident="Pulsedesk local SMTP",
        )

    @property
    def port(self) -> int:
        return self.config.port

    def start(self) -> None:
        self._controller.start()
        log.info("SMTP listening on %s:%d for @%s", LOOPBACK, self.port, self.config.inbound_domain)

    def stop(self) -> None:
        self._controller.stop()
