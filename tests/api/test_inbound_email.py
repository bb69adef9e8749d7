"""Email in, through the app's S3 handler (as SES's receipt rule would trigger it) and moto."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.client import BaseClient

from tests.api.client import ApiClient, Workspace, latest_email_to
from tests.api.inbound_mail import deliver, inbound_domain, message, support_address
from tests.api.notifications_support import QueuePump, emails_to, overridden_settings
from tests.api.notifications_support import deliver as notify
from tests.api.streams import StreamPump


def tickets_of(api: ApiClient, workspace: Workspace, **query: str) -> list[dict[str, Any]]:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    reply = api.get(f"/tickets?{params}", token=workspace.token("admin"))
    assert reply.status == 200, reply.body
    return list(reply.body["items"])


def test_a_message_to_the_support_address_opens_a_ticket(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a customer writes to the workspace's support address
    mail = message(support_address(workspace.slug), subject="Printer on fire", body="It is on fire.")
    # WHEN SES stores it and the handler runs
    answer = deliver(api, mail)
    # THEN one ticket exists, by the customer, from email
    assert answer == {"results": ["created"]}
    [ticket] = tickets_of(api, workspace)
    assert ticket["subject"] == "Printer on fire"
    assert ticket["description"] == "It is on fire."
    assert ticket["channel"] == "email"
    assert ticket["requester"] == {"email": "ada@customer.example", "name": "Ada Customer"}
    assert ticket["status"] == "new"


# --- threading -----------------------------------------------------------------------------------

CUSTOMER = "ada@customer.example"


def conversation(api: ApiClient, workspace: Workspace, ticket_id: str) -> dict[str, Any]:
    reply = api.get(f"/tickets/{ticket_id}", token=workspace.token("admin"))
    assert reply.status == 200, reply.body
    return dict(reply.body)


def emailed_ticket(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    answer = deliver(api, message(support_address(workspace.slug), **fields))
    assert answer == {"results": ["created"]}
    return tickets_of(api, workspace)[0]


def agent_reply(
    api: ApiClient, workspace: Workspace, ticket: dict[str, Any], pump: StreamPump, queue: QueuePump
) -> EmailMessage:
    """An agent answers publicly; the requester's email (as SES sent it) comes back."""
    reply = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Have you tried water?", "public": True}, workspace.token("agent")
    )
    assert reply.status == 201, reply.body
    notify(pump, queue)
    return latest_email_to(CUSTOMER)


def test_the_agents_reply_carries_threading_headers_and_a_signed_reply_address(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    ticket = emailed_ticket(api, workspace)
    sent = agent_reply(api, workspace, ticket, pump, queue)
    assert str(sent["Message-ID"]).endswith(f"@{inbound_domain()}>")
    assert str(sent["In-Reply-To"]).strip() == f"<ticket-{ticket['id']}@{inbound_domain()}>"
    assert str(sent["References"]).strip() == str(sent["In-Reply-To"]).strip()
    reply_to = str(sent["Reply-To"])
    assert reply_to.startswith("reply+") and reply_to.endswith("@" + inbound_domain())
    assert len(reply_to.partition("@")[0]) <= 64


@pytest.mark.parametrize("method", ["reply address", "in-reply-to", "references", "subject tag"])
def test_a_reply_threads_onto_its_ticket_as_a_public_comment_by_the_requester(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, method: str
) -> None:
    # GIVEN an emailed ticket the agent answered by email
    ticket = emailed_ticket(api, workspace)
    sent = agent_reply(api, workspace, ticket, pump, queue)
    # WHEN the customer answers, found by one method alone
    body = "Water made it worse.\n\nOn Monday, Support wrote:\n> Have you tried water?"
    to, subject, headers = support_address(workspace.slug), "Re: something else", {}
    if method == "reply address":
        to = str(sent["Reply-To"])
    elif method == "in-reply-to":
        headers = {"In_Reply_To": str(sent["Message-ID"])}
    elif method == "references":
        headers = {"References": f"<unrelated@customer.example> {sent['Message-ID']}"}
    else:
        subject = str(sent["Subject"])
    answer = deliver(api, message(to, subject=subject, body=body, **headers))
    # THEN it is a public comment on the same ticket, quoted history stripped
    assert answer == {"results": ["commented"]}
    assert len(tickets_of(api, workspace)) == 1
    last = conversation(api, workspace, ticket["id"])["comments"][-1]
    assert last["body"] == "Water made it worse."
    assert last["public"] is True
    assert last["channel"] == "email"
    assert last["author"]["type"] == "requester" and last["author"]["id"] == CUSTOMER


@pytest.mark.parametrize("method", ["reply address", "in-reply-to"])
def test_someone_else_answering_the_thread_is_an_internal_note_the_requester_never_gets(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, method: str
) -> None:
    # GIVEN an emailed ticket the agent answered, whose reply address or Message-ID leaked
    ticket = emailed_ticket(api, workspace)
    sent = agent_reply(api, workspace, ticket, pump, queue)
    already = len(emails_to(CUSTOMER))
    # WHEN someone who is not the requester answers through it
    to, headers = support_address(workspace.slug), {}
    if method == "reply address":
        to = str(sent["Reply-To"])
    else:
        headers = {"In_Reply_To": str(sent["Message-ID"])}
    mallory = "mallory@evil.example"
    answer = deliver(api, message(to, sender=f"Mallory <{mallory}>", subject="Re: x", body="Pay here.", **headers))
    # THEN it is kept on the ticket as an internal note by that sender, and nothing reaches the requester
    assert answer == {"results": ["commented"]}
    last = conversation(api, workspace, ticket["id"])["comments"][-1]
    assert last["public"] is False and last["body"] == "Pay here."
    assert last["author"]["id"] == mallory
    notify(pump, queue)
    assert len(emails_to(CUSTOMER)) == already


def test_a_subject_tag_from_someone_else_opens_a_new_ticket(api: ApiClient, workspace: Workspace) -> None:
    ticket = emailed_ticket(api, workspace)
    answer = deliver(
        api,
        message(support_address(workspace.slug), sender="mallory@evil.example", subject=f"Re: [#{ticket['number']}]"),
    )
    assert answer == {"results": ["created"]}
    assert len(tickets_of(api, workspace)) == 2


PASSING = "amazonses.com; spf=pass; dkim=pass header.i=@customer.example; dmarc=pass"
FAILING = "amazonses.com; spf=fail; dkim=none; dmarc=fail header.from=customer.example"


@pytest.mark.parametrize(
    "verdict, threaded",
    [("pass", True), ("fail", False), ("absent", True)],
)
def test_a_subject_tag_threads_only_for_an_authenticated_from(
    api: ApiClient, workspace: Workspace, verdict: str, threaded: bool
) -> None:
    # GIVEN a ticket of ada's, and a message naming it in its subject, From ada (forged or not)
    ticket = emailed_ticket(api, workspace)
    headers = {"pass": {"Authentication_Results": PASSING}, "fail": {"Authentication_Results": FAILING}}
    mail = message(support_address(workspace.slug), subject=f"Re: [#{ticket['number']}]", **headers.get(verdict, {}))
    # WHEN it arrives
    answer = deliver(api, mail)
    # THEN it comments on the ticket only when SES authenticated the From (or said nothing: local stack)
    assert answer == {"results": ["commented" if threaded else "created"]}
    assert len(tickets_of(api, workspace)) == (1 if threaded else 2)


def test_a_reply_to_a_solved_ticket_reopens_it(api: ApiClient, workspace: Workspace) -> None:
    ticket = emailed_ticket(api, workspace)
    solved = api.patch(
        f"/tickets/{ticket['id']}", {"status": "solved", "version": ticket["version"]}, workspace.token("admin")
    )
    assert solved.status == 200, solved.body
    answer = deliver(api, message(support_address(workspace.slug), subject=f"Re: Printer [#{ticket['number']}]"))
    assert answer == {"results": ["commented"]}
    assert conversation(api, workspace, ticket["id"])["ticket"]["status"] == "open"


def test_a_reply_to_a_closed_ticket_opens_a_follow_up(api: ApiClient, workspace: Workspace) -> None:
    ticket = emailed_ticket(api, workspace)
    for status in ("solved", "closed"):
        current = conversation(api, workspace, ticket["id"])["ticket"]
        reply = api.patch(
            f"/tickets/{ticket['id']}", {"status": status, "version": current["version"]}, workspace.token("admin")
        )
        assert reply.status == 200, reply.body
    answer = deliver(api, message(support_address(workspace.slug), subject=f"Re: Printer [#{ticket['number']}]"))
    assert answer == {"results": ["created"]}
    follow_up = next(t for t in tickets_of(api, workspace) if t["id"] != ticket["id"])
    assert follow_up["follow_up_of"] == ticket["number"]
    assert follow_up["description"].startswith(f"Follow-up to closed ticket #{ticket['number']}.")
    assert conversation(api, workspace, ticket["id"])["ticket"]["status"] == "closed"


def test_the_same_message_twice_makes_one_ticket_and_one_comment(api: ApiClient, workspace: Workspace) -> None:
    first = message(support_address(workspace.slug), message_id="<once@customer.example>")
    assert deliver(api, first, first) == {"results": ["created", "duplicate"]}
    reply = message(support_address(workspace.slug), subject=f"Re: [#{tickets_of(api, workspace)[0]['number']}]")
    assert deliver(api, reply) == {"results": ["commented"]}
    assert deliver(api, reply) == {"results": ["duplicate"]}
    [ticket] = tickets_of(api, workspace)
    assert len(conversation(api, workspace, ticket["id"])["comments"]) == 1


def test_the_same_message_id_in_two_workspaces_makes_a_ticket_in_each(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    for target in (workspace, other_workspace):
        assert deliver(api, message(support_address(target.slug), message_id="<shared@customer.example>")) == {
            "results": ["created"]
        }


def test_a_reply_token_cannot_be_moved_to_another_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    from chalicelib.domain.inbound_addresses import reply_token
    from chalicelib.settings import get_settings

    ticket = emailed_ticket(api, workspace)
    token = reply_token(get_settings().reply_token_key, workspace.tenant_id, ticket["number"])
    # the other workspace's id spliced into a valid token: the signature no longer matches
    forged = reply_token(b"not the key", other_workspace.tenant_id, ticket["number"])
    answer = deliver(api, message(f"reply+{forged}@{inbound_domain()}"))
    assert answer == {"results": ["dropped"]}
    # a genuine token sent along to the other workspace's address: the other workspace gets a new
    # ticket, never a comment on the first one's
    answer = deliver(
        api, message(f"{support_address(other_workspace.slug)}, reply+{token}@{inbound_domain()}", subject="Hi")
    )
    assert answer == {"results": ["created"]}
    assert conversation(api, workspace, ticket["id"])["comments"] == []


def test_an_unknown_address_is_dropped_and_the_rest_of_the_batch_goes_on(api: ApiClient, workspace: Workspace) -> None:
    answer = deliver(
        api,
        message(f"nobody-{workspace.slug}@{inbound_domain()}"),
        b"\x00\xff not mime at all",
        message(support_address(workspace.slug, "missing")),
        message(support_address(workspace.slug)),
    )
    assert answer == {"results": ["dropped", "dropped", "dropped", "created"]}


# --- loops, floods, spam, viruses ----------------------------------------------------------------


def test_an_auto_reply_is_tagged_and_gets_no_email_back(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    before = len(emails_to("ooo@customer.example"))
    deliver(
        api,
        message(
            support_address(workspace.slug),
            sender="ooo@customer.example",
            subject="Automatic reply: Printer",
            Auto_Submitted="auto-replied",
        ),
    )
    [ticket] = tickets_of(api, workspace)
    assert "auto-reply" in ticket["tags"]
    solved = api.patch(
        f"/tickets/{ticket['id']}", {"status": "solved", "version": ticket["version"]}, workspace.token("admin")
    )
    assert solved.status == 200
    notify(pump, queue)
    assert len(emails_to("ooo@customer.example")) == before


def test_an_automatic_message_does_not_reopen_a_solved_ticket(api: ApiClient, workspace: Workspace) -> None:
    ticket = emailed_ticket(api, workspace)
    api.patch(f"/tickets/{ticket['id']}", {"status": "solved", "version": ticket["version"]}, workspace.token("admin"))
    answer = deliver(
        api,
        message(support_address(workspace.slug), subject=f"Out of office: [#{ticket['number']}]", Precedence="bulk"),
    )
    assert answer == {"results": ["dropped"]}
    assert conversation(api, workspace, ticket["id"])["ticket"]["status"] == "solved"


def test_a_new_message_by_email_sends_the_requester_nothing(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    sender = f"quiet-{workspace.slug}@customer.example"
    emailed_ticket(api, workspace, sender=sender)
    notify(pump, queue)
    assert emails_to(sender) == []


def test_spam_is_held_in_the_spam_view_unassigned_and_unannounced(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    sender = f"spammer-{workspace.slug}@spam.example"
    deliver(api, message(support_address(workspace.slug), sender=sender, X_SES_Spam_Verdict="FAIL"))
    [ticket] = tickets_of(api, workspace, tag="spam")
    assert ticket["tags"] == ["spam"] and ticket["assignee_id"] is None
    views = api.get("/views", workspace.token("agent")).body["items"]
    spam_view = next(v for v in views if v["id"] == "builtin:spam")
    assert spam_view["filters"] == {"tag": "spam"}
    assert [t["id"] for t in tickets_of(api, workspace, tag="spam")] == [ticket["id"]]


def test_a_virus_is_dropped(api: ApiClient, workspace: Workspace) -> None:
    answer = deliver(api, message(support_address(workspace.slug), X_SES_Virus_Verdict="FAIL"))
    assert answer == {"results": ["dropped"]}
    assert tickets_of(api, workspace) == []


def test_past_the_per_sender_limit_mail_goes_to_spam(api: ApiClient, workspace: Workspace) -> None:
    with overridden_settings(PULSEDESK_RATE_LIMITS="inbound.sender=2/3600"):
        for number in range(3):
            deliver(api, message(support_address(workspace.slug), subject=f"Flood {number}"))
    tickets = sorted(tickets_of(api, workspace) + tickets_of(api, workspace, tag="spam"), key=lambda t: t["number"])
    assert [t["tags"] for t in tickets] == [[], [], ["spam"]]


def test_past_the_per_workspace_limit_mail_from_rotating_senders_goes_to_spam(
    api: ApiClient, workspace: Workspace
) -> None:
    # GIVEN a flood whose From changes on every message (the per-sender limit never trips)
    with overridden_settings(PULSEDESK_RATE_LIMITS="inbound.workspace=2/3600"):
        for number in range(3):
            sender = f"flood{number}-{workspace.slug}@spam.example"
            deliver(api, message(support_address(workspace.slug), sender=sender, subject=f"Flood {number}"))
    # THEN past the workspace's limit it is kept in the Spam view, as the per-sender overflow is
    tickets = sorted(tickets_of(api, workspace) + tickets_of(api, workspace, tag="spam"), key=lambda t: t["number"])
    assert [t["tags"] for t in tickets] == [[], [], ["spam"]]


def test_an_additional_address_routes_to_its_queue(api: ApiClient, workspace: Workspace) -> None:
    created = api.post("/settings/email/addresses", {"name": "billing", "queue": "billing"}, workspace.token("admin"))
    assert created.status == 201, created.body
    assert created.body["address"] == support_address(workspace.slug, "billing")
    deliver(api, message(support_address(workspace.slug, "billing")))
    [ticket] = tickets_of(api, workspace)
    assert ticket["queue"] == "billing"


@pytest.mark.parametrize("kind", ["new ticket", "reply"])
def test_a_redelivery_racing_the_first_loses_on_the_marker_in_its_transaction(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from chalicelib.data import mail as store

    if kind == "reply":
        number = emailed_ticket(api, workspace)["number"]
        mail = message(support_address(workspace.slug), subject=f"Re: [#{number}]")
    else:
        mail = message(support_address(workspace.slug))
    assert deliver(api, mail)["results"] == ["commented" if kind == "reply" else "created"]
    # GIVEN a second delivery whose reads all happened before the first one's write landed
    real, blind = store.get_mail_record, {"reads": 2}

    def before_the_first_write(tenant_id: str, message_id: str, direction: str) -> Any:
        if direction == "IN" and blind["reads"] > 0:
            blind["reads"] -= 1
            return None
        return real(tenant_id, message_id, direction)

    monkeypatch.setattr(store, "get_mail_record", before_the_first_write)
    # WHEN it writes THEN its transaction fails on the marker, and it reports a duplicate
    assert deliver(api, mail) == {"results": ["duplicate"]}
    assert blind["reads"] == 0
    [ticket] = tickets_of(api, workspace)
    assert len(conversation(api, workspace, ticket["id"])["comments"]) == (1 if kind == "reply" else 0)


def test_spam_waits_for_a_person_while_the_team_takes_the_rest(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    from tests.api.test_assignment import make_available

    make_available(api, workspace, capacity=10)
    pump.pump()
    deliver(api, message(support_address(workspace.slug), subject="Real", sender="real@customer.example"))
    deliver(api, message(support_address(workspace.slug), subject="Junk", X_SES_Spam_Verdict="FAIL"))
    pump.pump()
    by_subject = {t["subject"]: t for t in tickets_of(api, workspace) + tickets_of(api, workspace, tag="spam")}
    assert by_subject["Real"]["assignee_id"] is not None
    assert by_subject["Junk"]["assignee_id"] is None
    # room freeing up later serves the queue again: spam still waits
    solved = api.patch(
        f"/tickets/{by_subject['Real']['id']}",
        {"status": "solved", "version": by_subject["Real"]["version"]},
        workspace.token("admin"),
    )
    assert solved.status == 200
    pump.pump()
    assert tickets_of(api, workspace, tag="spam")[0]["assignee_id"] is None


def test_a_from_without_an_address(api: ApiClient, workspace: Workspace) -> None:
    nobody = message(support_address(workspace.slug), sender="Undisclosed recipients")
    answerable = message(support_address(workspace.slug), sender="Undisclosed", Reply_To="ada@customer.example")
    assert deliver(api, nobody, answerable) == {"results": ["dropped", "created"]}
    [ticket] = tickets_of(api, workspace)
    assert ticket["requester"]["email"] == "ada@customer.example"
    [note] = conversation(api, workspace, ticket["id"])["comments"]
    assert note["public"] is False and "From named no address" in note["body"]


def _html_only(to: str, html: str, **headers: str) -> EmailMessage:
    mail = message(to, **headers)
    mail.set_content(html, subtype="html")
    return mail


HOSTILE_HTML = (
    '<html><head><script>steal()</script></head><body onload="steal()">'
    '<p onclick="steal()">Printer <b>on fire</b></p>'
    '<img src="https://tracker.example/pixel.gif" alt="pixel"><img src="cid:logo@x" alt="logo">'
    '<a href="javascript:steal()">here</a></body></html>'
)


def _assert_sanitised(html: str | None) -> None:
    assert html is not None and "<b>on fire</b>" in html
    for unsafe in ("<script", "steal()", "onload", "onclick", "tracker.example", "javascript:"):
        assert unsafe not in html
    assert 'src="cid:logo@x"' in html


def test_an_html_only_mail_keeps_its_sanitised_html_beside_the_text(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a customer whose mail client sends HTML only, with a script, handlers and a tracking pixel
    deliver(api, _html_only(support_address(workspace.slug), HOSTILE_HTML))
    [listed] = tickets_of(api, workspace)
    # WHEN an agent opens the ticket
    ticket = conversation(api, workspace, listed["id"])["ticket"]
    # THEN the text is there, and the HTML kept is the sanitised one
    assert "Printer on fire" in ticket["description"]
    _assert_sanitised(ticket["description_html"])


def test_an_html_reply_keeps_its_sanitised_html_on_the_comment_and_mail_without_html_has_none(
    api: ApiClient, workspace: Workspace
) -> None:
    # GIVEN a plain-text ticket
    ticket = emailed_ticket(api, workspace, subject="Hello")
    assert conversation(api, workspace, ticket["id"])["ticket"]["description_html"] is None
    # WHEN the requester answers in HTML only, with its subject tag
    reply = _html_only(support_address(workspace.slug), HOSTILE_HTML, subject=f"Re: [#{ticket['number']}] Hello")
    assert deliver(api, reply) == {"results": ["commented"]}
    # THEN the comment has its text and its sanitised HTML
    last = conversation(api, workspace, ticket["id"])["comments"][-1]
    assert "Printer on fire" in last["body"]
    _assert_sanitised(last["body_html"])


def _view_ids(api: ApiClient, workspace: Workspace, ticket_id: str) -> dict[str, bool]:
    """For each built-in view: whether the ticket is listed when its filters are asked of GET /tickets."""
    token = workspace.token("admin")
    found = {}
    for view in api.get("/views", token).body["items"]:
        if not view["builtin"]:
            continue
        reply = api.get("/tickets?" + urlencode({**view["filters"], "limit": 100}, doseq=True), token)
        assert reply.status == 200, reply.body
        found[view["id"]] = ticket_id in [t["id"] for t in reply.body["items"]]
    return found


def test_spam_is_only_in_the_spam_view_until_a_person_says_it_is_not(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN mail SES judged spam, and an ordinary one
    sender = f"spammer-{workspace.slug}@spam.example"
    deliver(api, message(support_address(workspace.slug), sender=sender, X_SES_Spam_Verdict="FAIL"))
    deliver(api, message(support_address(workspace.slug), subject="A real question"))
    spam = next(t for t in tickets_of(api, workspace, tag="spam"))
    real = next(t for t in tickets_of(api, workspace) if t["subject"] == "A real question")
    # THEN the spam is in the Spam view only: not in All open, Unassigned, the status lists or the plain list
    assert _view_ids(api, workspace, spam["id"]) == {
        "builtin:mine": False,
        "builtin:unassigned": False,
        "builtin:open": False,
        "builtin:urgent": False,
        "builtin:sla-at-risk": False,
        "builtin:spam": True,
    }
    assert [t["id"] for t in tickets_of(api, workspace)] == [real["id"]]
    assert [t["id"] for t in tickets_of(api, workspace, status="new")] == [real["id"]]
    counts = {v["id"]: v["count"] for v in api.get("/views", workspace.token("admin")).body["items"]}
    assert counts["builtin:spam"] == 1 and counts["builtin:open"] == 1 and counts["builtin:unassigned"] == 1
    # WHEN an agent takes the spam tag off
    reply = api.patch(f"/tickets/{spam['id']}", {"tags": []}, workspace.token("agent"), headers={"if-match": "1"})
    assert reply.status == 200, reply.body
    # THEN it is back in the ordinary views and gone from Spam
    seen = _view_ids(api, workspace, spam["id"])
    assert seen["builtin:open"] and seen["builtin:unassigned"] and not seen["builtin:spam"]
    assert {t["id"] for t in tickets_of(api, workspace)} == {real["id"], spam["id"]}


def test_the_ids_an_email_carries_are_recorded_in_one_write(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an emailed ticket
    ticket = emailed_ticket(api, workspace)
    writes: list[tuple[str, int]] = []
    make_api_call = BaseClient._make_api_call

    def counted(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if operation == "BatchWriteItem":
            for items in params["RequestItems"].values():
                records = [
                    i for i in items if "#MAIL#" in i.get("PutRequest", {}).get("Item", {}).get("pk", {}).get("S", "")
                ]
                if records:
                    writes.append((operation, len(records)))
        elif operation == "PutItem" and "#MAIL#" in params["Item"].get("pk", {}).get("S", ""):
            writes.append((operation, 1))
        return make_api_call(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    # WHEN the agent's public reply is emailed
    sent = agent_reply(api, workspace, ticket, pump, queue)
    # THEN its Message-ID, the thread's root and SES's ids were recorded together, in one BatchWriteItem
    assert sent is not None
    assert len(writes) == 1 and writes[0][0] == "BatchWriteItem" and writes[0][1] >= 3, writes
