"""An inbound email, read from its raw bytes into a typed ``InboundMessage``. Pure code.

The standard library's ``email`` package (``policy.default``) does the MIME work; what is added
here is the tolerance mail needs: every part is read as far as it can be (an unknown charset falls
back to UTF-8 with replacement, a header that cannot be parsed is read as plain text), text is
stripped of control characters rather than refused (see ``domain/text.py``), limits drop what is
too big with a note instead of failing the message, and attachment bytes are only ever stored,
never opened (a zip bomb named ``.txt`` is just its compressed bytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Literal

import nh3
from mailparser_reply import EmailReplyParser

from chalicelib.domain.email_headers import plain_header_text
from chalicelib.domain.text import MULTI_LINE_FORBIDDEN

MAX_TEXT = 65_536  # characters of body kept on a ticket or comment: what the API accepts for one
MAX_HTML = 131_072  # characters of sanitised HTML kept beside the text; past it only the text is kept
MAX_FILENAME = 200
MAX_REFERENCES = 50
MAX_RECIPIENTS = 50
MAX_DEPTH = 20  # MIME nesting read before giving up on deeper parts

AutoKind = Literal["auto_submitted", "bounce", "out_of_office", "bulk", None]


@dataclass(frozen=True)
class Limits:
    max_attachment_bytes: int
    max_message_bytes: int  # all attachments of one message together
    max_attachments: int


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes = field(repr=False)
    inline: bool
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Verdicts:
    """What the receiving server (SES) concluded; ``None`` where it said nothing."""

    spam: str | None = None
    virus: str | None = None
    spf: str | None = None
    dkim: str | None = None
    dmarc: str | None = None
    dkim_domain: str | None = None  # the d= (or the domain of i=) of a passing DKIM signature
    reported: bool = False  # the receiving server wrote an Authentication-Results header at all

    def authenticates(self, from_address: str) -> bool | None:
        """Whether the From's domain is proven: DMARC passed, or a DKIM signature passed for a domain
        aligned with it (relaxed: one is the other or its subdomain). None when nothing was reported
        (the local stack adds no verdicts; in AWS SES always prepends them)."""
        if not self.reported:
            return None
        if self.dmarc == "pass":
            return True
        domain = from_address.rpartition("@")[2].lower()
        signer = (self.dkim_domain or "").lower()
        aligned = bool(signer) and (domain == signer or domain.endswith("." + signer) or signer.endswith("." + domain))
        return self.dkim == "pass" and aligned

    @property
    def is_spam(self) -> bool:
        return (self.spam or "").upper() == "FAIL"

    @property
    def has_virus(self) -> bool:
        return (self.virus or "").upper() == "FAIL"


@dataclass(frozen=True)
class InboundMessage:
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str | None  # lower-cased addr-spec; None when the From names no usable address
    from_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To (lower-cased, in that order)
    subject: str
    text: str  # the whole text, quoted history included
    reply_text: str  # what the sender wrote this time: quotes and signature stripped
    html: str | None  # sanitised
    attachments: tuple[Attachment, ...]
    auto: AutoKind
    verdicts: Verdicts
    dropped: tuple[str, ...]  # what could not be kept, one line each (for the note on the ticket)


def parse_message(raw: bytes, limits: Limits) -> InboundMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    dropped: list[str] = []
    text_part, html_part, attachments = _walk(message, limits, dropped)
    html = _sanitised_html(html_part) if html_part is not None else None
    if html is not None and len(html) > MAX_HTML:
        dropped.append(f"the formatted (HTML) version: {len(html)} characters, over {MAX_HTML}; the text is kept")
        html = None
    text = text_part if text_part is not None else (html_to_text(html_part) if html_part is not None else "")
    text = _clean_text(text)
    from_name, from_address = _sender(message, dropped)
    return InboundMessage(
        message_id=_first_id(_header(message, "Message-ID")),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References"))[-MAX_REFERENCES:],
        from_address=from_address,
        from_name=from_name,
        recipients=_recipients(message),
        subject=plain_header_text(_header(message, "Subject")),
        text=text[:MAX_TEXT],
        reply_text=reply_text(text)[:MAX_TEXT],
        html=html,
        attachments=tuple(attachments),
        auto=classify(message),
        verdicts=_verdicts(message),
        dropped=tuple(dropped),
    )


# --- headers -------------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header's decoded text; a header the parser cannot make sense of is read as its raw text."""
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, AttributeError):
        value = None
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    return "" if value is None else str(value)


_ID = re.compile(r"<([^<>\s]{1,900})>")


def _ids(value: str) -> tuple[str, ...]:
    """Message ids as ``<local@domain>``, in order, without repeats."""
    seen: dict[str, None] = {}
    for found in _ID.findall(value):
        seen.setdefault(f"<{found}>", None)
    if not seen and value.strip() and " " not in value.strip():
        seen[f"<{value.strip().strip('<>')}>"] = None  # an id some client sent without brackets
    return tuple(seen)


def _first_id(value: str) -> str | None:
    ids = _ids(value)
    return ids[0] if ids else None


def _sender(message: Message, dropped: list[str]) -> tuple[str, str | None]:
    """Who to answer: the From address; when From names none, the first of Reply-To, Sender and
    the envelope sender (Return-Path) that does, with a note saying so."""
    raw = _header(message, "From")
    name, address = parseaddr(raw)
    address = address.strip().lower()
    if _looks_like_address(address):
        return plain_header_text(name, 100), address
    for header in ("Reply-To", "Sender", "Return-Path"):
        other_name, other = parseaddr(_header(message, header))
        other = other.strip().lower()
        if _looks_like_address(other):
            dropped.append(f"From named no address ({plain_header_text(raw, 100)!r}); answering {header} {other}")
            return plain_header_text(name or other_name, 100), other
    return plain_header_text(name or raw, 100), None


def _looks_like_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and not re.search(r"[\s<>()\[\],;:\\\"]", address))


_RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;]+@[^\s<>;]+)>?", re.IGNORECASE)


def _recipients(message: Message) -> tuple[str, ...]:
    """Who the message was for: the header recipients, then the envelope's as the receiving server
    wrote it (a message forwarded from ``support@company.com`` names only that in To). The topmost
    Received header is the receiving server's own (SES writes ``for <recipient>``)."""
    found: dict[str, None] = {}
    values = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To", "X-Forwarded-To", "X-Envelope-To"):
        try:
            values += [str(v) for v in message.get_all(name) or ()]
        except (ValueError, TypeError, IndexError, AttributeError):
            values.append(_header(message, name))
    received = _RECEIVED_FOR.search(_header(message, "Received"))
    if received:
        values.append(received.group(1))
    for _, address in getaddresses(values):
        address = address.strip().lower()
        if _looks_like_address(address):
            found.setdefault(address, None)
    return tuple(found)[:MAX_RECIPIENTS]  # each one of ours may cost a lookup


def classify(message: Message) -> AutoKind:
    """Mail a machine sent: never to be answered automatically (RFC 3834, RFC 3464, common practice)."""
    content_type = message.get_content_type()
    report = str(message.get_param("report-type", "") or "").lower()
    if content_type == "multipart/report" and report in ("delivery-status", "disposition-notification"):
        return "bounce"
    sender = _header(message, "Return-Path").strip().strip("<>")
    from_local = parseaddr(_header(message, "From"))[1].lower().partition("@")[0]
    if (sender == "" and "Return-Path" in message) or from_local in ("mailer-daemon", "postmaster"):
        return "bounce"
    subject = _header(message, "Subject").lower()
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if (
        any(h in message for h in ("X-Autoreply", "X-Autorespond"))
        or (
            _header(message, "X-Auto-Response-Suppress").strip().lower() in ("oof", "all")
            and subject.startswith(("automatic reply", "out of office", "auto:"))
        )
        or subject.startswith(("automatic reply:", "out of office:", "autoreply:", "auto-reply:"))
    ):
        return "out_of_office"
    if auto_submitted and auto_submitted != "no":
        return "auto_submitted"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list") or "List-Id" in message or "List-Unsubscribe" in message:
        return "bulk"
    return None


def _verdicts(message: Message) -> Verdicts:
    """SES prepends its headers: the topmost Authentication-Results and Received-SPF are its own
    (anything further down was written by whoever sent the message, so it is not believed)."""
    results = _header(message, "Authentication-Results").lower()

    def method(name: str) -> str | None:
        found = re.search(rf"\b{name}=([a-z]+)", results)
        return found.group(1) if found else None

    signer = re.search(r"\bdkim=pass\b[^;]*?\bheader\.[di]=(?:[^@;\s]*@)?([a-z0-9.-]+)", results)
    spf = method("spf")
    if spf is None and "Received-SPF" in message:
        spf = (_header(message, "Received-SPF").strip().split() or [""])[0].lower() or None
    return Verdicts(
        spam=_header(message, "X-SES-Spam-Verdict").strip().upper() or None,
        virus=_header(message, "X-SES-Virus-Verdict").strip().upper() or None,
        spf=spf,
        dkim=method("dkim"),
        dmarc=method("dmarc"),
        dkim_domain=signer.group(1) if signer else None,
        reported="Authentication-Results" in message,
    )


# --- parts ---------------------------------------------------------------------------------------


def _walk(message: EmailMessage, limits: Limits, dropped: list[str]) -> tuple[str | None, str | None, list[Attachment]]:
    text: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    total = 0
    seen = 0
    for part in _leaves(message):
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        is_body = disposition != "attachment" and filename is None and content_type in ("text/plain", "text/html")
        if is_body:
            if content_type == "text/plain" and text is None:
                text = _decoded_text(part)
            elif content_type == "text/html" and html is None:
                html = _decoded_text(part)
            continue
        if content_type in ("message/delivery-status", "message/disposition-notification") and not filename:
            continue  # a bounce's machine-readable report: the human part says it
        seen += 1
        name = filename or _fallback_name(content_type, seen)
        if len(attachments) >= limits.max_attachments:
            dropped.append(f"{name}: more than {limits.max_attachments} attachments")
            continue
        content = _payload(part)
        if len(content) > limits.max_attachment_bytes:
            dropped.append(f"{name}: {len(content)} bytes, over the {limits.max_attachment_bytes}-byte limit")
            continue
        if total + len(content) > limits.max_message_bytes:
            dropped.append(f"{name}: the message's attachments pass {limits.max_message_bytes} bytes")
            continue
        total += len(content)
        content_id = _header(part, "Content-ID").strip().strip("<>") or None
        attachments.append(
            Attachment(
                filename=name,
                content_type=_content_type(content_type),
                content=content,
                inline=disposition == "inline" or (disposition == "" and content_id is not None),
                content_id=content_id,
            )
        )
    return text, html, attachments


def _leaves(message: Message, depth: int = 0) -> Iterator[Message]:
    """The parts that hold content, in order. A forwarded message (message/rfc822) is one part, not
    opened: its text is the forwarded mail's, kept whole as an attachment. Nesting is bounded."""
    if message.get_content_type() == "message/rfc822" and depth > 0:
        yield message
        return
    if message.is_multipart() and depth < MAX_DEPTH:
        payload = message.get_payload()
        for part in payload if isinstance(payload, list) else ():
            if isinstance(part, Message):
                yield from _leaves(part, depth + 1)
        return
    if not message.is_multipart():
        yield message


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return bytes(inner[0].as_bytes(policy=policy.SMTP))
    try:
        content = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError):
        content = None
    if isinstance(content, bytes):
        return content
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""


def _decoded_text(part: Message) -> str:
    content = _payload(part)
    charset = str(part.get_content_charset() or "utf-8")
    try:
        return content.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", "replace")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, IndexError, AttributeError):
        name = None
    if not name:
        return None
    # a name is shown and used as a download name: no path, no control or direction characters
    cleaned = plain_header_text(str(name).replace("\\", "/").rsplit("/", 1)[-1], MAX_FILENAME)
    return cleaned.strip(". ") or None


def _fallback_name(content_type: str, number: int) -> str:
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "message/rfc822": "eml"}.get(
        content_type, "bin"
    )
    return f"attachment-{number}.{extension}"


_TOKEN = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def _content_type(value: str) -> str:
    value = value.lower()
    return value if _TOKEN.match(value) else "application/octet-stream"


# --- text ----------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(f"[{MULTI_LINE_FORBIDDEN}]")


def _clean_text(text: str) -> str:
    """Line breaks made uniform; control and direction-override characters removed (email text is
    stripped, not refused: the sender cannot be asked to type it again)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text).strip()


_REPLY_PARSER = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl"])


# The reply boundary ("On … wrote:", "-----Original Message-----", a signature) follows the new text
# closely, so only the head of the body is searched: the library's patterns backtrack badly on long
# adversarial input (cubic on "On Mon wrote " repeated), and this keeps the work bounded by the head.
REPLY_SCAN_CHARS = 8_192
REPLY_SCAN_LINES = 120


def _latest_reply(head: str) -> str:
    """The library's newest reply of ``head`` ('' when it finds none)."""
    try:
        parsed = _REPLY_PARSER.read(text=head)
        latest = parsed.replies[0].body.strip() if parsed.replies else ""
        return latest or (parsed.latest_reply or "").strip()
    except Exception:
        return ""


def _head(text: str) -> str:
    head = text[:REPLY_SCAN_CHARS]
    if len(text) > REPLY_SCAN_CHARS and "\n" in head:
        head = head[: head.rfind("\n")]  # a cut line could look like a boundary that is not one
    return "\n".join(head.split("\n")[:REPLY_SCAN_LINES])


def reply_text(text: str) -> str:
    """The newest part of a reply: quoted history and signature removed (the full text is kept
    beside it). Falls back to the whole text when stripping would leave nothing, or when no boundary
    shows in the searched head of a long body (then all of it is what the sender wrote)."""
    if not text:
        return ""
    head = _head(text)
    latest = _clean_text(_latest_reply(head))
    if head != text and latest == head.strip():
        return text
    return latest or text


_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_BLOCKS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "section",
}  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: scripts and styles gone, blocks on their own lines."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sanitised_html(html: str) -> str:
    """Markup safe to show: nh3's allow-list (no script, no handlers, no styles), links made inert
    to the opener, images only from attachments (``cid:``) so opening a ticket tracks nobody."""
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_no_remote_images,
    )


def _no_remote_images(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not value.lower().startswith("cid:"):
        return None
    return value
