"""Request models of the self-service routes (contacts, the customer portal, the web form)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from chalicelib.api.schemas import WHOLE_NUMBER, Body, Id, Input, Integer, Line, PlainText, Queue, Subject, UploadIn

LinkToken = Annotated[str, StringConstraints(min_length=70, max_length=160, pattern=r"^[A-Za-z0-9_-]+$")]
PersonName = Annotated[str, StringConstraints(max_length=120), PlainText(stripped=True)]


class ContactListQuery(Input):
    q: Annotated[str, StringConstraints(max_length=120), PlainText(stripped=True)] | None = Field(
        default=None, description="An address prefix (when it holds @) or a name prefix"
    )
    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 50
    cursor: Line | None = None


class PortalSignInIn(Input):
    email: EmailStr


class PortalLinkIn(Input):
    token: LinkToken


class PortalRequestListQuery(Input):
    status: Literal["open", "solved"] = "open"
    limit: Annotated[int, Field(ge=1, le=50), WHOLE_NUMBER] = 25
    cursor: Line | None = None


# An inbound email's limit on files (settings.inbound_max_attachments may only lower it).
PortalAttachments = Annotated[
    list[Id], Field(max_length=50, description="Ids from the uploads route, each uploaded already")
]


class PortalRequestIn(Input):
    subject: Subject
    description: Body
    request_id: Id | None = Field(default=None, description="With attachments: the id their uploads answered")
    attachments: PortalAttachments = []


class PortalReplyIn(Input):
    body: Body
    attachments: PortalAttachments = []


class PortalUploadIn(UploadIn):
    request_id: Id | None = Field(
        default=None, description="The id an earlier file of the same new request answered; none for its first"
    )


class WebRequestIn(Input):
    email: EmailStr
    name: PersonName = ""
    subject: Subject
    description: Body
    # A field people never see (hidden by the form): a bot that fills every input fills this one.
    website: Annotated[str, StringConstraints(max_length=200)] = ""


class PortalSettingsIn(Input):
    web_form_enabled: bool
    web_form_queue: Queue
    version: Integer | None = Field(default=None, description="The version you edited (409 if it moved)")
