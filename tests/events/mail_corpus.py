"""Realistic inbound messages, built in code: how Gmail, Outlook and Apple Mail write replies, HTML-only
newsletters-style mail, ISO-8859-1 with encoded words, attachments and inline images, a forward, an
out-of-office and a bounce. For benchmarks (and any test wanting a mixed load)."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

QUOTED = "\n".join(f"> line {n} of what support wrote before, quoted back by the mail client" for n in range(30))
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _base(to: str, sender: str, subject: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = make_msgid(domain="customer.example")
    return mail


def gmail_reply(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Re: Printer on fire [#12]")
    mail["In-Reply-To"] = "<ticket-abc@inbound.example>"
    text = f"Thanks, that worked!\n\nOn Mon, 2 Jun 2025 at 10:00, Support <support@x.example> wrote:\n{QUOTED}\n"
    mail.set_content(text)
    mail.add_alternative(
        '<div dir="ltr">Thanks, that worked!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
        'On Mon, 2 Jun 2025 at 10:00, Support wrote:<br></div><blockquote class="gmail_quote">'
        + "<br>".join(f"line {n}" for n in range(30))
        + "</blockquote></div>",
        subtype="html",
    )
    return mail


def outlook_reply(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "RE: Invoice question")
    body = (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=WordSection1>"
        "<p class=MsoNormal>Hello, the amount is still wrong on the second page.</p>"
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class=MsoNormal><b>From:</b> Support<br>'
        "<b>Sent:</b> Monday, June 2, 2025 10:00 AM<br><b>Subject:</b> Invoice question</p></div>"
        + "".join(f"<p class=MsoNormal>earlier text {n}</p>" for n in range(40))
        + "</div></body></html>"
    )
    mail.set_content("Hello, the amount is still wrong on the second page.\n\nFrom: Support\nSent: Monday\n" + QUOTED)
    mail.add_alternative(body, subtype="html")
    return mail


def apple_mail_reply(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Re: Delivery")
    mail.set_content(f"It arrived today.\n\nSent from my iPhone\n\n> On 2 Jun 2025, at 10:00, Support wrote:\n{QUOTED}")
    return mail


def html_only(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Order #5521 problem")
    mail.set_content(
        "<html><body><h1>Problem</h1><p>My order <b>never</b> arrived.</p>"
        '<img src="https://tracker.example/pixel.gif"><script>alert(1)</script>'
        + "".join(f"<p>detail {n}</p>" for n in range(20))
        + "</body></html>",
        subtype="html",
    )
    return mail


def latin1_encoded_words(to: str, sender: str) -> MIMEMultipart:
    mail = MIMEMultipart()
    mail["From"] = "=?iso-8859-1?q?Fran=E7ois_M=FCller?= <" + sender.split("<")[-1].strip(">") + ">"
    mail["To"] = to
    mail["Subject"] = "=?iso-8859-1?q?Probl=E8me_de_facture_=E0_r=E9gler?="
    mail["Message-ID"] = make_msgid(domain="customer.example")
    mail.attach(MIMEText("Bonjour, la facture de février est erronée. Merci d'avance.\n" * 5, "plain", "iso-8859-1"))
    return mail


def with_attachments(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Screenshots of the error")
    mail.set_content("Two screenshots and the log are attached.")
    mail.add_attachment(os.urandom(200_000), maintype="application", subtype="pdf", filename="report.pdf")
    mail.add_attachment(b"2025-06-02 ERROR something\n" * 2000, maintype="text", subtype="plain", filename="app.log")
    mail.add_attachment(PNG, maintype="image", subtype="png", filename="screen.png")
    return mail


def forwarded(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Fwd: Your subscription")
    mail.set_content(
        "Can you look at this?\n\n---------- Forwarded message ---------\nFrom: Billing <billing@shop.example>\n"
        "Date: Mon, 2 Jun 2025\nSubject: Your subscription\n\nYour card was declined.\n"
    )
    return mail


def out_of_office(to: str, sender: str) -> EmailMessage:
    mail = _base(to, sender, "Automatic reply: Printer on fire")
    mail["Auto-Submitted"] = "auto-replied"
    mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content("I am out of the office until Monday.")
    return mail


def bounce(to: str, sender: str) -> EmailMessage:
    mail = _base(to, "Mail Delivery Subsystem <mailer-daemon@customer.example>", "Delivery Status Notification")
    mail["Auto-Submitted"] = "auto-replied"
    mail.set_content("The message could not be delivered to nobody@customer.example.")
    mail.make_mixed()
    report = EmailMessage()
    report.set_content(
        "Reporting-MTA: dns; mx.customer.example\n\nFinal-Recipient: rfc822; nobody@customer.example\nAction: failed\n"
        "Status: 5.1.1\n",
        subtype="delivery-status",
    )
    mail.attach(report)
    mail.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
    return mail


CORPUS: dict[str, Callable[[str, str], EmailMessage | MIMEMultipart]] = {
    "gmail reply": gmail_reply,
    "outlook reply": outlook_reply,
    "apple mail reply": apple_mail_reply,
    "html only": html_only,
    "iso-8859-1, encoded words": latin1_encoded_words,
    "3 attachments (400 KB)": with_attachments,
    "forwarded": forwarded,
    "out of office": out_of_office,
    "bounce": bounce,
}


def raw(kind: str, to: str, sender: str = "Ada Customer <ada@customer.example>") -> bytes:
    return CORPUS[kind](to, sender).as_bytes(policy=SMTP)
