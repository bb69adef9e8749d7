"""Request models of the macro routes and of merging tickets."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StringConstraints

from chalicelib.api.schemas import Id, Input, Integer, Name, Omittable
from chalicelib.domain.ticket_actions import FieldActions, TemplateText, valid_template

Template = Annotated[TemplateText, AfterValidator(valid_template)]


class MacroReplyIn(Input):
    body: Template
    public: bool = Field(default=True, description="A public reply (emailed) or an internal note")


class MacroIn(Input):
    name: Name
    actions: FieldActions = []
    reply: MacroReplyIn | None = None
    shared: bool = Field(default=False, description="Shared with the workspace: needs 'macros.share'")


class MacroPatchIn(Input):
    name: Omittable[Name] = None
    actions: Omittable[FieldActions] = None
    reply: MacroReplyIn | None = Field(default=None, description="null removes the reply")
    shared: Omittable[bool] = None


class ApplyMacroIn(Input):
    body_optional: ClassVar[bool] = True  # If-Match alone is enough
    version: Integer | None = Field(default=None, description="The ticket's version you saw; or send If-Match")


class PreviewQuery(Input):
    ticket: Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")]


class MergeIn(Input):
    into: Id = Field(description="The id of the ticket to merge this one into")
    version: Integer | None = Field(default=None, description="This ticket's version you saw; or send If-Match")
