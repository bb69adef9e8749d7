"""Parsing inbound email over a corpus of real-world shaped messages, built here as raw bytes the
way each client writes them."""

from __future__ import annotations

import base64
import io
import zipfile
from email.message import EmailMessage

import pytest

from chalicelib.domain import inbound_message
from chalicelib.domain.inbound_message import MAX_HTML, Limits, Verdicts, classify, html_to_text, parse_message

LIMITS = Limits(max_attachment_bytes=100_000, max_message_bytes=300_000, max_attachments=20)
SUPPORT = "acme@inbound.pulsedesk.localhost"


def parse(raw: bytes | str, limits: Limits = LIMITS):  # type: ignore[no-untyped-def]
    return parse_message(raw.encode() if isinstance(raw, str) else raw, limits)


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


# --- reply styles --------------------------------------------------------------------------------

GMAIL_REPLY = crlf("""\
MIME-Version: 1.0
Date: Mon, 30 Nov 2026 10:05:00 +0100
References: <ticket-abc@inbound.pulsedesk.localhost> <out-1@inbound.pulsedesk.localhost>
In-Reply-To: <out-1@inbound.pulsedesk.localhost>
Message-ID: <CAF=abc123@mail.gmail.com>
Subject: Re: [Acme] Re: VPN down [#12]
From: Ada Customer <ada@customer.example>
To: Acme via Pulsedesk <reply+token@inbound.pulsedesk.localhost>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"

Still broken, sorry.

On Mon, Nov 30, 2026 at 10:00 AM Acme via Pulsedesk <support@pulsedesk.local> wrote:

> Have you tried turning it off?
>

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Still broken, sorry.</div><br><div class=3D"gmail_quote"><div=
 dir=3D"ltr" class=3D"gmail_attr">On Mon, Nov 30, 2026 at 10:00 AM Acme wrote:<=
/div><blockquote class=3D"gmail_quote">Have you tried turning it off?</blockquote></div>

--000000000000a1b2c3--
""")

OUTLOOK_REPLY = crlf("""\
From: Bob Builder <Bob@Corp.Example>
To: "acme" <acme@inbound.pulsedesk.localhost>
Subject: RE: VPN down [#12]
Thread-Topic: VPN down
Thread-Index: AQHaAbCdEfGh
Date: Mon, 30 Nov 2026 09:10:00 +0000
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>
In-Reply-To: <out-2@inbound.pulsedesk.localhost>
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

Thanks, that fixed it.

Kind regards
Bob

________________________________
From: Acme Support <support@pulsedesk.local>
Sent: Monday, November 30, 2026 10:00 AM
To: Bob Builder <bob@corp.example>
Subject: Re: VPN down [#12]

Have you tried turning it off?
""")

APPLE_REPLY = crlf("""\
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (1.0)
Subject: Re: VPN down
From: =?utf-8?Q?Ren=C3=A9e_Apple?= <renee@icloud.example>
In-Reply-To: <out-3@inbound.pulsedesk.localhost>
Date: Mon, 30 Nov 2026 10:11:00 +0100
Message-Id: <5F6A7B8C-1234-4D5E-9F00-ABCDEF012345@icloud.example>
References: <out-3@inbound.pulsedesk.localhost>
To: acme@inbound.pulsedesk.localhost

Works now =F0=9F=8E=89

Sent from my iPhone

> On 30 Nov 2026, at 10:00, Acme Support <support@pulsedesk.local> wrote:
>=20
> Have you tried turning it off?
""")


def test_a_gmail_reply() -> None:
    message = parse(GMAIL_REPLY)
    assert message.message_id == "<CAF=abc123@mail.gmail.com>"
    assert message.in_reply_to == ("<out-1@inbound.pulsedesk.localhost>",)
    assert message.references == ("<ticket-abc@inbound.pulsedesk.localhost>", "<out-1@inbound.pulsedesk.localhost>")
    assert message.from_address == "ada@customer.example" and message.from_name == "Ada Customer"
    assert message.recipients == ("reply+token@inbound.pulsedesk.localhost",)
    assert message.subject == "Re: [Acme] Re: VPN down [#12]"
    assert message.reply_text == "Still broken, sorry."
    assert "> Have you tried turning it off?" in message.text
    assert message.html is not None and "<blockquote>Have you tried turning it off?</blockquote>" in message.html
    assert message.auto is None and message.attachments == () and message.dropped == ()


def test_an_outlook_reply() -> None:
    message = parse(OUTLOOK_REPLY)
    assert message.from_address == "bob@corp.example"  # addresses compare lower-cased
    assert message.recipients == ("acme@inbound.pulsedesk.localhost",)
    assert message.reply_text == "Thanks, that fixed it."
    assert "Have you tried turning it off?" in message.text


def test_an_apple_mail_reply() -> None:
    message = parse(APPLE_REPLY)
    assert message.from_name == "Renée Apple"
    assert message.message_id == "<5F6A7B8C-1234-4D5E-9F00-ABCDEF012345@icloud.example>"
    assert message.reply_text == "Works now 🎉"


# --- bodies and charsets -------------------------------------------------------------------------


def test_html_only_mail_becomes_safe_text_and_sanitised_html() -> None:
    message = parse(
        crlf(f"""\
From: news@shop.example
To: {SUPPORT}
Subject: HTML only
Content-Type: text/html; charset=utf-8

<html><head><style>p {{color: red}}</style><script>steal()</script></head>
<body><p onclick="evil()">Hello <b>there</b>,</p><p>line&nbsp;two &amp; more</p>
<img src="https://tracker.example/pixel.gif" alt="logo"><img src="cid:part1">
<a href="javascript:alert(1)">click</a><a href="https://ok.example">ok</a></body></html>
""")
    )
    assert message.text.split("\n\n") == ["Hello there,", "line two & more", "[logo]\nclickok"]
    assert message.html is not None
    for unsafe in ("script", "steal", "onclick", "style", "tracker.example", "javascript:"):
        assert unsafe not in message.html
    assert 'src="cid:part1"' in message.html
    assert 'rel="noopener noreferrer nofollow"' in message.html


def test_html_past_its_limit_keeps_only_the_text_with_a_note() -> None:
    paragraphs = "<p>word</p>" * (MAX_HTML // 10 + 1)
    message = parse(
        crlf(f"""\
From: big@shop.example
To: {SUPPORT}
Subject: Huge newsletter
Content-Type: text/html; charset=utf-8

<html><body>{paragraphs}</body></html>
""")
    )
    assert message.html is None
    assert message.text.startswith("word")
    assert any("formatted (HTML) version" in line for line in message.dropped)


def test_iso_8859_1_and_encoded_words() -> None:
    raw = (
        b"From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.de>\r\n"
        b"To: " + SUPPORT.encode() + b"\r\n"
        b"Subject: =?iso-8859-1?q?Gr=FC=DFe_aus_K=F6ln?=\r\n"
        b"Content-Type: text/plain; charset=ISO-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Sch\xf6ne Gr\xfc\xdfe, der Drucker ist kaputt.\r\n"
    )
    message = parse(raw)
    assert message.from_name == "André Müller"
    assert message.subject == "Grüße aus Köln"
    assert message.text == "Schöne Grüße, der Drucker ist kaputt."


def test_utf8_base64_body_and_encoded_word_subject() -> None:
    body = base64.b64encode("Привет, 世界 👋".encode()).decode()
    message = parse(
        crlf(f"""\
From: =?UTF-8?B?0JjQstCw0L0=?= <ivan@example.ru>
To: {SUPPORT}
Subject: =?UTF-8?B?8J+UpSBIZWxw?= =?UTF-8?Q?_me?=
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

{body}
""")
    )
    assert message.from_name == "Иван"
    assert message.subject == "🔥 Help me"
    assert message.text == "Привет, 世界 👋"


def test_an_unknown_charset_falls_back_without_crashing() -> None:
    message = parse(
        b"From: a@example.com\r\nTo: " + SUPPORT.encode() + b"\r\nSubject: =?x-klingon?q?Qapla=27?=\r\n"
        b"Content-Type: text/plain; charset=x-klingon\r\n\r\nnuqneH caf\xe9\r\n"
    )
    assert message.text.startswith("nuqneH caf")
    assert message.subject  # something readable, never an exception


def test_control_characters_are_stripped_not_refused() -> None:
    message = parse(
        b"From: a@example.com\r\nTo: " + SUPPORT.encode() + b"\r\nSubject: ok\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nNUL\x00here \xe2\x80\xaeevil\x07 bell\r\n"
    )
    assert message.text == "NULhere evil bell"


# --- attachments ---------------------------------------------------------------------------------


def with_parts() -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Ada <ada@customer.example>"
    mail["To"] = SUPPORT
    mail["Subject"] = "Screenshot"
    mail.set_content("See the screenshot.")
    mail.add_alternative('<p>See <img src="cid:shot@x"></p>', subtype="html")
    html_part = mail.get_payload()[1]  # type: ignore[index]
    html_part.add_related(b"\x89PNG inline", maintype="image", subtype="png", cid="<shot@x>")
    mail.add_attachment(b"%PDF-1.7 report", maintype="application", subtype="pdf", filename="report.pdf")
    mail.add_attachment("name,value\n", subtype="csv", filename="../../etc/data\u202e.csv")
    return mail


def test_attachments_and_inline_images() -> None:
    message = parse(with_parts().as_bytes())
    assert message.text == "See the screenshot."
    by_name = {a.filename: a for a in message.attachments}
    assert set(by_name) == {"attachment-1.png", "report.pdf", "data .csv"}
    inline = by_name["attachment-1.png"]
    assert inline.inline and inline.content_id == "shot@x" and inline.content == b"\x89PNG inline"
    report = by_name["report.pdf"]
    assert report.content_type == "application/pdf" and report.size == len(b"%PDF-1.7 report") and not report.inline


def test_a_forwarded_message_is_kept_as_an_eml_attachment() -> None:
    original = EmailMessage()
    original["From"] = "customer@elsewhere.example"
    original["Subject"] = "Original problem"
    original.set_content("The original text.")
    forward = EmailMessage()
    forward["From"] = "Manager <boss@corp.example>"
    forward["To"] = SUPPORT
    forward["Subject"] = "Fwd: Original problem"
    forward.set_content("Please look at this.\n\n---------- Forwarded message ---------\nFrom: customer")
    forward.add_attachment(original)
    message = parse(forward.as_bytes())
    assert message.subject == "Fwd: Original problem"
    assert message.text.startswith("Please look at this.")
    [eml] = message.attachments
    assert eml.content_type == "message/rfc822" and eml.filename.endswith(".eml")
    assert b"The original text." in eml.content


def test_two_hundred_attachments_keep_the_first_ones_and_note_the_rest() -> None:
    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["To"] = SUPPORT
    mail["Subject"] = "Many"
    mail.set_content("lots")
    for number in range(200):
        mail.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"f{number}.bin")
    message = parse(mail.as_bytes())
    assert [a.filename for a in message.attachments] == [f"f{n}.bin" for n in range(20)]
    assert len(message.dropped) == 180 and "more than 20 attachments" in message.dropped[0]


def test_size_limits_drop_with_a_note() -> None:
    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["To"] = SUPPORT
    mail["Subject"] = "Big"
    mail.set_content("big ones")
    for name, size in (
        ("huge.bin", 150_000),
        ("a.bin", 90_000),
        ("b.bin", 90_000),
        ("c.bin", 90_000),
        ("d.bin", 90_000),
    ):
        mail.add_attachment(b"x" * size, maintype="application", subtype="octet-stream", filename=name)
    message = parse(mail.as_bytes())
    assert [a.filename for a in message.attachments] == ["a.bin", "b.bin", "c.bin"]
    assert message.dropped[0].startswith("huge.bin: 150000 bytes, over the 100000-byte limit")
    assert message.dropped[1].startswith("d.bin: the message's attachments pass 300000 bytes")


def test_a_zip_bomb_named_txt_is_only_its_stored_bytes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros", b"\0" * 50_000_000)
    bomb = buffer.getvalue()
    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["To"] = SUPPORT
    mail["Subject"] = "Notes"
    mail.set_content("see notes")
    mail.add_attachment(bomb, maintype="text", subtype="plain", filename="notes.txt")
    message = parse(mail.as_bytes())
    [kept] = message.attachments
    assert kept.filename == "notes.txt" and kept.content == bomb and kept.size < 100_000
    small = Limits(max_attachment_bytes=1000, max_message_bytes=1000, max_attachments=5)
    assert parse(mail.as_bytes(), small).attachments == ()


# --- machines, verdicts, bad input ---------------------------------------------------------------


def headers_only(extra: str, content_type: str = "text/plain") -> bytes:
    return crlf(f"From: robot@example.com\nTo: {SUPPORT}\nSubject: Hi\n{extra}\nContent-Type: {content_type}\n\nbody\n")


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ("Auto-Submitted: auto-replied", "auto_submitted"),
        ("Auto-Submitted: auto-generated", "auto_submitted"),
        ("Auto-Submitted: no", None),
        ("X-Autoreply: yes", "out_of_office"),
        ("X-Auto-Response-Suppress: OOF", None),
        ("Precedence: bulk", "bulk"),
        ("Precedence: junk", "bulk"),
        ("Precedence: list", "bulk"),
        ("List-Id: <news.shop.example>", "bulk"),
        ("Return-Path: <>", "bounce"),
        ("X-Mailer: Thunderbird", None),
    ],
)
def test_machine_mail_is_classified(extra: str, kind: str | None) -> None:
    assert parse(headers_only(extra)).auto == kind


def test_an_out_of_office_from_exchange() -> None:
    raw = crlf(
        f"From: bob@corp.example\nTo: {SUPPORT}\nSubject: Automatic reply: VPN down\n"
        "X-Auto-Response-Suppress: All\nContent-Type: text/plain\n\nI am away until Monday.\n"
    )
    assert parse(raw).auto == "out_of_office"


BOUNCE = crlf(f"""\
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example>
To: {SUPPORT}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"

--BOUND
Content-Type: text/plain

This is the mail system. Your message could not be delivered to gone@customer.example.

--BOUND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example
Final-Recipient: rfc822; gone@customer.example
Action: failed
Status: 5.1.1

--BOUND
Content-Type: text/rfc822-headers

From: support@pulsedesk.local
Subject: Re: VPN down

--BOUND--
""")


def test_a_bounce_is_a_bounce() -> None:
    message = parse(BOUNCE)
    assert message.auto == "bounce"
    assert message.text.startswith("This is the mail system.")
    assert [a.content_type for a in message.attachments] == ["text/rfc822-headers"]


def test_ses_verdicts_and_the_topmost_authentication_results() -> None:
    raw = crlf(
        "Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=a@example.com; dkim=fail header.i=@example.com;"
        " dmarc=none header.from=example.com;\n"
        "Authentication-Results: attacker.example; spf=pass; dkim=pass; dmarc=pass\n"
        "X-SES-Spam-Verdict: FAIL\nX-SES-Virus-Verdict: PASS\n"
        + headers_only("X-Other: 1").decode().replace("\r\n", "\n")
    )
    verdicts = parse(raw).verdicts
    assert (verdicts.spf, verdicts.dkim, verdicts.dmarc) == ("pass", "fail", "none")
    assert verdicts.is_spam and not verdicts.has_virus


def test_received_spf_when_there_are_no_authentication_results() -> None:
    raw = crlf("Received-SPF: softfail (domain does not designate)\n") + headers_only("X: 1")
    assert parse(raw).verdicts.spf == "softfail"


def test_a_header_injection_in_the_subject_stays_one_line() -> None:
    raw = crlf(
        f"From: a@example.com\nTo: {SUPPORT}\n"
        "Subject: =?utf-8?q?Hello=0D=0ABcc=3A_victim=40example=2Ecom=0D=0A=0D=0Abody?=\n\ntext\n"
    )
    message = parse(raw)
    assert message.subject == "Hello Bcc: victim@example.com body"
    assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize(
    "from_header", ["Undisclosed recipients", "<>", "Ada <not-an-address>", "", "@example.com", "a@b@c"]
)
def test_a_from_without_an_address(from_header: str) -> None:
    message = parse(crlf(f"From: {from_header}\nTo: {SUPPORT}\nSubject: x\n\nbody\n"))
    assert message.from_address is None


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage without headers",
        crlf(f"To: {SUPPORT}\nContent-Type: multipart/mixed\n\nno boundary at all\n"),
        crlf(
            f"To: {SUPPORT}\nContent-Type: multipart/mixed; boundary=X\n\n--X\nContent-Type: text/plain\n\nunterminated"
        ),
        crlf(f"To: {SUPPORT}\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not base64***\n"),
        crlf(f"To: {SUPPORT}\nFrom: =?utf-8?b?broken\nMessage-ID: not an id\nSubject: =?bad?x?y?=\n\nhi\n"),
    ],
)
def test_malformed_mime_still_yields_what_can_be_read(raw: bytes) -> None:
    message = parse(raw)
    assert isinstance(message.text, str) and isinstance(message.subject, str)


def test_html_to_text_keeps_block_structure() -> None:
    assert html_to_text("<div>a</div><div>b<br>c</div><ul><li>x</li><li>y</li></ul>") == "a\n\nb\nc\n\nx\n\ny"


def test_classify_reads_the_parsed_message() -> None:
    from email import message_from_bytes, policy

    assert classify(message_from_bytes(BOUNCE, policy=policy.default)) == "bounce"


def test_a_forwarded_copy_is_routed_by_its_envelope_recipient() -> None:
    raw = crlf(
        f"Received: from mail.corp.example by inbound-smtp.us-east-1.amazonaws.com with SMTP id abc for {SUPPORT};"
        " Mon, 30 Nov 2026 10:00:00 +0000 (UTC)\n"
        "Received: from laptop by mail.corp.example for <support@corp.example>; Mon, 30 Nov 2026 09:59:00 +0000\n"
        "X-Original-To: other@inbound.pulsedesk.localhost\n"
        "From: ada@customer.example\nTo: Support <support@corp.example>\nSubject: Help\n\nbody\n"
    )
    assert parse(raw).recipients == (
        "support@corp.example",
        "other@inbound.pulsedesk.localhost",
        SUPPORT,
    )


def test_a_from_without_an_address_is_answered_at_reply_to_with_a_note() -> None:
    message = parse(crlf(f"From: Undisclosed\nReply-To: Ada <ada@customer.example>\nTo: {SUPPORT}\nSubject: x\n\nhi\n"))
    assert message.from_address == "ada@customer.example" and message.from_name == "Ada"
    assert message.dropped == ("From named no address ('Undisclosed'); answering Reply-To ada@customer.example",)


# --- reply boundary: bounded work on adversarial bodies ------------------------------------------


def _mail(body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "ada@customer.example"
    message["To"] = SUPPORT
    message["Subject"] = "Help"
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture()
def library_inputs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Spy on what the reply library is handed (its patterns backtrack on long input)."""
    seen: list[int] = []
    real = inbound_message._latest_reply

    def spy(head: str) -> str:
        seen.append(len(head))
        return real(head)

    monkeypatch.setattr(inbound_message, "_latest_reply", spy)
    return seen


def test_a_backtracking_body_reaches_the_library_only_as_its_head(library_inputs: list[int]) -> None:
    # GIVEN a body that makes the library's English "wrote" pattern backtrack cubically
    body = "On Mon wrote " * 3000
    # WHEN it is parsed
    message = parse_message(_mail(body), LIMITS)
    # THEN the library saw a bounded head, and the text is kept as the sender wrote it
    assert library_inputs and max(library_inputs) <= inbound_message.REPLY_SCAN_CHARS
    assert message.reply_text == body.strip()[: inbound_message.MAX_TEXT]


def test_five_megabytes_of_lines_reach_the_library_only_as_its_head(library_inputs: list[int]) -> None:
    body = "".join(f"line {n} of a long log the customer pasted\n" for n in range(120_000))
    message = parse_message(_mail(body), LIMITS)
    assert max(library_inputs) <= inbound_message.REPLY_SCAN_CHARS
    assert message.reply_text.startswith("line 0 of a long log")
    assert message.reply_text == message.text  # no boundary: all of it is new text, up to MAX_TEXT


def test_a_quote_after_a_long_body_head_is_still_cut(library_inputs: list[int]) -> None:
    body = "Still broken, sorry.\n\nOn Mon, 2 Mar 2026 at 10:00, Support <help@x.example> wrote:\n" + "> old\n" * 5000
    message = parse_message(_mail(body), LIMITS)
    assert message.reply_text == "Still broken, sorry."
    assert max(library_inputs) <= inbound_message.REPLY_SCAN_CHARS


# --- is the From authenticated? (threading by subject tag needs it) ------------------------------


def _verdicts_of(results: str | None) -> Verdicts:
    extra = f"Authentication-Results: {results}\n" if results is not None else ""
    return parse(crlf(extra) + headers_only("X: 1")).verdicts


@pytest.mark.parametrize(
    "results, authenticated",
    [
        ("ses.example; spf=pass; dkim=pass header.i=@customer.example; dmarc=pass header.from=customer.example", True),
        ("ses.example; spf=pass; dkim=fail header.i=@customer.example; dmarc=pass header.from=customer.example", True),
        ("ses.example; spf=pass; dkim=pass header.d=customer.example; dmarc=none", True),
        ("ses.example; spf=pass; dkim=pass header.i=@mail.customer.example; dmarc=none", True),
        ("ses.example; spf=pass; dkim=pass header.i=@evil.example; dmarc=none header.from=customer.example", False),
        ("ses.example; spf=pass; dkim=none; dmarc=fail header.from=customer.example", False),
        ("ses.example; spf=fail; dkim=fail header.i=@customer.example; dmarc=fail", False),
        (None, None),
    ],
)
def test_the_from_is_authenticated_by_dmarc_or_aligned_dkim(results: str | None, authenticated: bool | None) -> None:
    assert _verdicts_of(results).authenticates("ada@customer.example") is authenticated


def test_only_the_topmost_authentication_results_authenticates() -> None:
    raw = crlf(
        "Authentication-Results: amazonses.com; spf=none; dkim=none; dmarc=fail header.from=customer.example\n"
        "Authentication-Results: forger.example; dkim=pass header.d=customer.example; dmarc=pass\n"
    ) + headers_only("X: 1")
    assert parse(raw).verdicts.authenticates("ada@customer.example") is False
