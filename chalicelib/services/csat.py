"""Satisfaction surveys: the links a solved ticket's email carries, the public survey page's reads and
answers, and the workspace's on/off switch. An answer is a typed ticket change by the requester
(``ticket_change.rate``), committed through the one write path: history, audit, live event, the
``ticket.rated`` webhook and the metrics all follow from the stream."""

from __future__ import annotations

from datetime import datetime

from chalicelib.contracts.help_center import CsatSettingsOut, SurveyOut
from chalicelib.data import help_center as repo
from chalicelib.data import identity
from chalicelib.data import tickets as tickets_repo
from chalicelib.data.models import TicketItem
from chalicelib.data.ticket_changes import commit, retrying, ticket_of
from chalicelib.domain.actors import EmailRequester
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.csat import RatingValue, SurveyLink, read_survey_token, survey_token, survey_url
from chalicelib.domain.errors import LinkExpired, LinkInvalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import RateTicket, decide
from chalicelib.services.sla_context import sla_context
from chalicelib.settings import get_settings


def surveys_enabled(tenant_id: str) -> bool:
    settings = repo.get_csat_settings(tenant_id)
    return settings is None or bool(settings.surveys_enabled)


def get_settings_of(principal: Principal) -> CsatSettingsOut:
    return CsatSettingsOut(surveys_enabled=surveys_enabled(principal.tenant_id))


def set_surveys_enabled(principal: Principal, enabled: bool) -> CsatSettingsOut:
    before = surveys_enabled(principal.tenant_id)
    audit = AuditEntry(
        principal.as_actor(),
        "settings.csat_updated",
        AuditTarget("settings", "csat"),
        {"surveys_enabled": before},
        {"surveys_enabled": enabled},
    )
    repo.save_csat_settings(principal.tenant_id, enabled, utcnow(), audit)
    return CsatSettingsOut(surveys_enabled=enabled)


def survey_links(tenant_id: str, ticket_id: str, issued_at: datetime) -> dict[str, str] | None:
    """The Good and Bad links of a solve notification, or None when the workspace asks no more."""
    if not surveys_enabled(tenant_id):
        return None
    settings = get_settings()
    token = survey_token(settings.survey_token_key, tenant_id, ticket_id, issued_at)
    base = settings.public_base_url
    return {
        "good": survey_url(base, token, "good"),
        "bad": survey_url(base, token, "bad"),
        "page": survey_url(base, token),
    }


def survey(token: str) -> SurveyOut:
    link, ticket = _open(token)
    return _survey_out(link, ticket)


def answer(token: str, rating: RatingValue, comment: str | None) -> SurveyOut:
    """Records the requester's answer; the same answer again changes nothing, another replaces it."""
    link, _ = _open(token)

    def attempt() -> TicketItem:
        item = _ticket(link)
        requester = item.requester
        actor = EmailRequester(str(requester["email"]), str(requester.get("name") or ""))
        sla = sla_context(link.tenant_id)
        change = decide(ticket_of(item), actor, RateTicket(rating, comment), utcnow(), sla)
        return item if change is None else commit(link.tenant_id, change).ticket

    ticket = retrying(attempt, "The ticket is changing too fast; try again.")
    return _survey_out(link, ticket)


def _open(token: str) -> tuple[SurveyLink, TicketItem]:
    link = read_survey_token(get_settings().survey_token_key, token, utcnow())
    if not surveys_enabled(link.tenant_id):
        raise LinkExpired("This team no longer asks for ratings.")
    return link, _ticket(link)


def _ticket(link: SurveyLink) -> TicketItem:
    ticket = tickets_repo.get_ticket(link.tenant_id, link.ticket_id)
    if ticket is None:
        raise LinkInvalid("This survey link names a request that no longer exists.")
    return ticket


def _survey_out(link: SurveyLink, ticket: TicketItem) -> SurveyOut:
    workspace = identity.get_workspace(link.tenant_id)
    rating = ticket.csat or {}
    return SurveyOut(
        workspace=workspace.name if workspace else "",
        ticket_number=int(ticket.number),
        subject=ticket.subject,
        rating=rating.get("rating"),
        comment=str(rating.get("comment") or ""),
        expires_at=to_text(link.expires_at),
    )
