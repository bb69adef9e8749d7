"""Key layout of the main table. Every key but the slug claim and the pending sign-up starts with ``T#<tenant id>``."""

from __future__ import annotations

import hashlib


def tenant(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def workspace(tenant_id: str) -> tuple[str, str]:
    return tenant(tenant_id), "WORKSPACE"


def ticket_counter(tenant_id: str) -> tuple[str, str]:
    return tenant(tenant_id), "COUNTER#ticket"


def registry_entry(tenant_id: str) -> tuple[str, str]:
    return "REGISTRY#workspaces", tenant(tenant_id)


def slug_claim(slug: str) -> tuple[str, str]:
    return f"SLUG#{slug}", "SLUG"


def pending_signup(token_hash: str) -> tuple[str, str]:
    return f"SIGNUP#{token_hash}", "SIGNUP"


def outbound_budget(tenant_id: str) -> tuple[str, str]:
    return tenant(tenant_id), "OUTBOUND_BUDGET"


def sla_settings(tenant_id: str) -> tuple[str, str]:
    """Business hours and SLA policies: one item, so a reorder or an edit is one versioned write."""
    return tenant(tenant_id), "SLA_SETTINGS"


def suppressed_address(tenant_id: str, email: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#SUPPRESSED", email.lower()


def users(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#USER"


def email_claim(tenant_id: str, email: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#EMAIL#{email.lower()}", "EMAIL"


def password_reset(tenant_id: str, user_id: str) -> tuple[str, str]:
    """One per user: a new request overwrites the previous one."""
    return f"{tenant(tenant_id)}#PWRESET#{user_id}", "PWRESET"


def session(tenant_id: str, family_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#SESSION#{family_id}", "SESSION"


def agent_loads(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#LOAD"


def api_keys(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#APIKEY"


def audit_log(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#AUDIT"


def ticket(tenant_id: str, ticket_id: str) -> str:
    return f"{tenant(tenant_id)}#TICKET#{ticket_id}"


def ticket_number(tenant_id: str, number: int) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#TICKETNO#{number}", "TICKETNO"


def mail_record(tenant_id: str, message_id: str, direction: str) -> tuple[str, str]:
    """``direction`` is IN or OUT; the Message-ID hashed, as ids may be long and hold any character."""
    digest = hashlib.sha256(message_id.strip().lower().encode()).hexdigest()
    return f"{tenant(tenant_id)}#MAIL#{digest}", direction


def inbound_addresses(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#INADDR"


TICKET_SK = "#TICKET"  # sorts before #WATCHERS, COMMENT#... and HISTORY#...
WATCHERS_SK = "#WATCHERS"
COMMENT_PREFIX = "COMMENT#"
HISTORY_PREFIX = "HISTORY#"


def views(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#VIEW"


def search_bucket(tenant_id: str, word: str) -> str:
    return f"{tenant(tenant_id)}#W#{word[:2]}"


def note_search_bucket(tenant_id: str, word: str) -> str:
    """Internal-note postings apart from the others, so a query that may not match them never reads them."""
    return f"{tenant(tenant_id)}#N#{word[:2]}"


def ranked_search_word(tenant_id: str, word: str, notes: bool) -> str:
    """One word's postings in rank order (data/search.py); internal notes apart, as above."""
    return f"{tenant(tenant_id)}#{'RN' if notes else 'RW'}#{word}"


def search_vocabulary(tenant_id: str, word: str, notes: bool) -> str:
    """The words indexed under the word's first two letters: a prefix names the ranked lists to read."""
    return f"{tenant(tenant_id)}#{'VN' if notes else 'VW'}#{word[:2]}"


def connections(tenant_id: str) -> str:
    return tenant(tenant_id)


def connection_lookup(connection_id: str) -> tuple[str, str]:
    return f"CONN#{connection_id}", "CONN"


def ticket_partition(tenant_id: str, kind: str, value: str) -> str:
    """Partition of a ticket-list index: ``T#<tenant>#STATUS#open``, ``T#<tenant>#TENANT#``..."""
    return f"{tenant(tenant_id)}#{kind.upper()}#{value}"


# --- notifications and integrations ---


def webhook_endpoints(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#WEBHOOK"


def webhook_deliveries(tenant_id: str, endpoint_id: str) -> str:
    """One row per delivery attempt; the sort key is the delivery id, which starts with its time."""
    return f"{tenant(tenant_id)}#WEBHOOK#{endpoint_id}#DELIVERY"


def slack_integration(tenant_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#INTEGRATION", "SLACK"


def notification_prefs(tenant_id: str, user_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#NOTIFYPREFS", user_id


def dead_letters(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#DEADLETTER"


def macros(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#MACRO"


def macro_usage(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#MACROUSE"


# --- rules ---


def rules(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#RULE"


def rule_runs(tenant_id: str, rule_id: str) -> str:
    """Newest last: the sort key starts with the run's time."""
    return f"{tenant(tenant_id)}#RULERUN#{rule_id}"


def rule_markers(tenant_id: str, rule_id: str) -> str:
    return f"{tenant(tenant_id)}#RULEMARK#{rule_id}"


def queues(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#QUEUES"


def tag_counts(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#TAGCOUNTS"


def tag_markers(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#TAGSEEN"


def pending_upload(tenant_id: str, ticket_id: str, upload_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#UPLOAD#{ticket_id}", upload_id


def invitations(tenant_id: str) -> str:
    return f"{tenant(tenant_id)}#INVITE"


# --- self-service (issue 15) ---


def contact(tenant_id: str, contact_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#CONTACT#{contact_id}", "CONTACT"


def contact_ticket(tenant_id: str, contact_id: str, ticket_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#CONTACT#{contact_id}", f"TICKET#{ticket_id}"


def contact_listing(tenant_id: str) -> str:
    """Sort keys ``E#<email>`` and ``N#<name>#<email>``."""
    return f"{tenant(tenant_id)}#CONTACTS"


def portal_link(tenant_id: str, link_id: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#PORTALLINK#{link_id}", "LINK"


def portal_settings(tenant_id: str) -> tuple[str, str]:
    return tenant(tenant_id), "PORTAL_SETTINGS"


def requester_connections(tenant_id: str) -> str:
    """Portal sockets, apart from the team's (``connections``): the team's fan-out never lists them."""
    return f"{tenant(tenant_id)}#PORTAL"


def onboarding(tenant_id: str) -> tuple[str, str]:
    return tenant(tenant_id), "ONBOARDING"


def slack_oauth_nonce(tenant_id: str, nonce: str) -> tuple[str, str]:
    return f"{tenant(tenant_id)}#SLACKOAUTH", nonce


def user_sessions(tenant_id: str, user_id: str) -> str:
    return f"{tenant(tenant_id)}#USERSESSIONS#{user_id}"
