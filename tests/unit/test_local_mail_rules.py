"""The local mail harness's pure rules: who the SMTP server accepts, what the relay hands back to it."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from infra.local.mail_relay import deliveries_from_moto
from infra.local.smtp import refusal_for

DOMAIN = "inbound.pulsedesk.localhost"


@pytest.mark.parametrize(
    "address",
    [
        "demo@inbound.pulsedesk.localhost",
        "reply+abc.def@INBOUND.pulsedesk.localhost",
        "billing@inbound.pulsedesk.localhost",
    ],
)
def test_the_inbound_domain_is_accepted(address: str) -> None:
    assert refusal_for(address, DOMAIN) is None


@pytest.mark.parametrize(
    "address",
    [
        "demo@elsewhere.example",
        "demo@sub.inbound.pulsedesk.localhost",
        "demo@inbound.pulsedesk.localhost.evil",
        "@" + DOMAIN,
        DOMAIN,
    ],
)
def test_anything_else_is_refused_as_relaying(address: str) -> None:
    refusal = refusal_for(address, DOMAIN)
    assert refusal is not None and refusal.startswith("550 5.7.1 ") and f"@{DOMAIN}" in refusal


def _raw(to: str) -> str:
    mail = EmailMessage()
    mail["From"] = "support@pulsedesk.local"
    mail["To"] = to
    mail["Subject"] = "hi"
    mail.set_content("body")
    return mail.as_string()


def test_the_relay_takes_only_recipients_at_the_inbound_domain() -> None:
    data = {
        "ses": {
            "RawMessage": [
                {"id": "1", "source": "support@pulsedesk.local", "destinations": [], "raw_data": _raw(f"a@{DOMAIN}")},
                {
                    "id": "2",
                    "source": "support@pulsedesk.local",
                    "destinations": [],
                    "raw_data": _raw("b@else.example"),
                },
                {
                    "id": "3",
                    "source": "support@pulsedesk.local",
                    "destinations": ["c@else.example", f"reply+x@{DOMAIN}"],
                    "raw_data": _raw("c@else.example"),
                },
            ],
            "Message": [
                {"id": "4", "source": "s@pulsedesk.local", "destinations": {"ToAddresses": [f"d@{DOMAIN}"]}},
                {"id": "5", "source": "s@pulsedesk.local", "destinations": {"ToAddresses": ["e@else.example"]}},
            ],
        }
    }
    found = {mid: (sender, rcpts) for mid, sender, rcpts, _ in deliveries_from_moto(data, DOMAIN)}
    assert found == {
        "1": ("support@pulsedesk.local", [f"a@{DOMAIN}"]),
        "3": ("support@pulsedesk.local", [f"reply+x@{DOMAIN}"]),
        "4": ("s@pulsedesk.local", [f"d@{DOMAIN}"]),
    }
