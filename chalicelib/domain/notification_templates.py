"""What a notification says: email (plain text and HTML) and Slack Block Kit, from a domain event.

Ticket text comes from customers, so every value is escaped for HTML and for Slack's mrkdwn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.events import DomainEvent
from chalicelib.domain.markdown import render_markdown


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def platform_email(subject: str, lines: list[str], action: str, link: str, closing: str) -> RenderedEmail:
    """The platform's own emails (sign-up confirmation, password reset): a greeting and a reason, one
    link, then ``closing`` and the last line. Everything is escaped; the subject is fixed by the caller."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines[:2])
    body = (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
        f"{paragraphs}"
        f'<p><a href="{html.escape(link, quote=True)}">{html.escape(action)}</a></p>'
        f"<p>{html.escape(closing)} {html.escape(lines[-1])}</p></body></html>"
    )
    return RenderedEmail(subject, "\n\n".join(lines), body)


def ticket_link(base_url: str, ticket_id: str) -> str:
    return f"{base_url.rstrip('/')}/tickets/{ticket_id}"


_HEADLINES = {
    "assigned": "Ticket #{number} was assigned to you",
    "commented": "New {kind} on ticket #{number}",
    "public_reply": "Re: {subject} [#{number}]",
    "solved": "Your request #{number} was solved",
    "sla_breached": "Ticket #{number} missed its SLA",
    "watched": "Update on ticket #{number} you watch: {subject}",
    "webhook_disabled": "A webhook endpoint was disabled",
    "test": "Test notification",
    "rule": "{rule_subject}",  # a rule's own subject and body (domain/rules.py), rendered already
}


def render_email(
    template: str, workspace: str, event: DomainEvent, link: str, extra: Mapping[str, Any]
) -> RenderedEmail:
    ticket = event.ticket
    comment = event.comment or {}
    kind = "reply" if comment.get("public", True) else "internal note"
    values = {"number": ticket.get("number", ""), "subject": ticket.get("subject", ""), "kind": kind}
    values["rule_subject"] = str(extra.get("subject", ""))
    subject = f"[{workspace}] " + _HEADLINES[template].format(**values)
    lines = _body_lines(template, event, extra, kind)
    survey = extra.get("survey") if template == "solved" else None
    survey_text = (
        f"How did we do? Good: {survey['good']} · Bad: {survey['bad']} (add a comment there if you like)"
        if survey
        else ""
    )
    text = "\n\n".join(
        [*lines, survey_text, f"Open the ticket: {link}" if link else "", f"— {workspace}, via Pulsedesk"]
    )
    # A Markdown comment's body goes out as its sanitised rendering; the plain part keeps the source
    formatted = str(comment.get("body") or "") if comment.get("format") == "markdown" else None
    paragraphs = "".join(
        render_markdown(line) if formatted and line == formatted else f"<p>{html.escape(line)}</p>" for line in lines
    )
    button = f'<p><a href="{html.escape(link, quote=True)}">Open ticket #{values["number"]}</a></p>' if link else ""
    body = (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
        f"<h2>{html.escape(subject)}</h2>{paragraphs}{_survey_html(survey) if survey else ''}{button}"
        f'<p style="color:#555">{html.escape(workspace)}, via Pulsedesk</p></body></html>'
    )
    return RenderedEmail(subject, text.strip(), body)


def _survey_html(survey: Mapping[str, str]) -> str:
    good, bad = html.escape(survey["good"], quote=True), html.escape(survey["bad"], quote=True)
    return (
        "<p><strong>How did we do?</strong></p>"
        f'<p><a href="{good}">&#128077; Good, I\'m satisfied</a> &nbsp; '
        f'<a href="{bad}">&#128078; Bad, I\'m unsatisfied</a></p>'
    )


def _body_lines(template: str, event: DomainEvent, extra: Mapping[str, Any], kind: str) -> list[str]:
    ticket = event.ticket
    requester = ticket.get("requester") or {}
    who = event.actor.get("name") or "Someone"
    if template == "rule":
        return [paragraph for paragraph in str(extra.get("body", "")).split("\n\n") if paragraph.strip()]
    summary = (
        f"#{ticket.get('number')} {ticket.get('subject')} — "
        f"priority {ticket.get('priority')}, status {ticket.get('status')}"
    )
    if template == "assigned":
        return [f"{who} assigned you a ticket from {requester.get('name') or requester.get('email')}.", summary]
    if template == "commented":
        return [f"{who} added {_a(kind)}:", str((event.comment or {}).get("body") or ""), summary]
    if template == "public_reply":
        return [str((event.comment or {}).get("body") or ""), f"Reply to this email to answer {who}."]
    if template == "sla_breached":
        return [_sla_line(event), summary]
    if template == "watched":
        return [*_watched_lines(event, who, kind), summary]
    if template == "solved":
        return [f"We marked your request “{ticket.get('subject')}” as solved.", "Reply to this email to reopen it."]
    if template == "webhook_disabled":
        return [
            f"The webhook endpoint {extra.get('url')} failed for too long and was disabled.",
            f"Last error: {extra.get('error')}",
            "Fix the receiver, then enable the endpoint again in the webhook settings.",
        ]
    return ["This is a test notification from Pulsedesk."]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _sla_line(event: DomainEvent) -> str:
    sla = event.changes.get("sla") or {}
    target = "first response" if sla.get("target") == "first_response" else "resolution"
    return f"The ticket missed its {target} target, due {sla.get('due_at')}."


def _watched_lines(event: DomainEvent, who: str, kind: str) -> list[str]:
    if event.type == "comment.created":
        return [f"{who} added {_a(kind)}:", str((event.comment or {}).get("body") or "")]
    if event.type == "ticket.status_changed":
        status = event.changes["status"]
        return [f"{who} changed the status from {status['from']} to {status['to']}."]
    return [_sla_line(event)]


# --- Slack ---------------------------------------------------------------------------------------

_PRIORITY_EMOJI = {"urgent": ":red_circle:", "high": ":large_orange_circle:", "normal": ":white_circle:"}
_ALERT_TITLES = {
    "urgent": "Urgent ticket",
    "unassigned": "Ticket waiting for an owner",
    "sla_breached": "SLA breached",
    "test": "Test alert",
}


def slack_text(value: Any) -> str:
    """Escapes what Slack's mrkdwn would otherwise treat as markup or mentions."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


TAKE_ACTION = "take_ticket"


def slack_message(
    alert: str, ticket: Mapping[str, Any], link: str, workspace: str, take_value: str | None = None
) -> dict[str, Any]:
    """``text`` (the notification fallback) and Block Kit ``blocks`` for chat.postMessage; with
    ``take_value``, a "Take it" button that assigns the ticket to whoever presses it."""
    requester = ticket.get("requester") or {}
    emoji = _PRIORITY_EMOJI.get(str(ticket.get("priority")), ":white_circle:")
    title = f"{_ALERT_TITLES.get(alert, alert)}: #{ticket.get('number')} {ticket.get('subject')}"
    requester_text = requester.get("name") or requester.get("email") or "unknown"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": True}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Priority*\n{emoji} {slack_text(ticket.get('priority'))}"},
                {"type": "mrkdwn", "text": f"*Requester*\n{slack_text(requester_text)}"},
                {"type": "mrkdwn", "text": f"*Status*\n{slack_text(ticket.get('status'))}"},
                {"type": "mrkdwn", "text": f"*Queue*\n{slack_text(ticket.get('queue'))}"},
            ],
        },
        {
            "type": "actions",
            "elements": [
                *(
                    [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": "Take it"},
                            "style": "primary",
                            "value": take_value,
                            "action_id": TAKE_ACTION,
                        }
                    ]
                    if take_value
                    else []
                ),
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open ticket"},
                    "url": link,
                    "action_id": "open_ticket",
                },
            ],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{slack_text(workspace)} · Pulsedesk"}]},
    ]
    return {"text": f"{title} ({ticket.get('priority')}) {link}", "blocks": blocks}


def taken_blocks(blocks: list[dict[str, Any]], who: str) -> list[dict[str, Any]]:
    """The alert as it should read once someone took the ticket: no "Take it" button, and who."""
    kept = []
    for block in blocks:
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements", []) if e.get("action_id") != TAKE_ACTION]
            block = {**block, "elements": elements}
        kept.append(block)
    note = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f":white_check_mark: Taken by {slack_text(who)}"}],
    }
    return [*kept, note]
