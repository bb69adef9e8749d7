"""Request models of the knowledge base, the help centre, deflection and satisfaction surveys."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.api.schemas import Input, Integer, Omittable, PlainText

Title = Annotated[str, StringConstraints(max_length=200), PlainText(stripped=True, not_blank=True)]
Category = Annotated[str, StringConstraints(max_length=60), PlainText(stripped=True, not_blank=True)]
ArticleBody = Annotated[str, StringConstraints(max_length=100_000), PlainText(single_line=False)]
Status = Literal["draft", "published"]
Query = Annotated[str, StringConstraints(max_length=200), PlainText()]
ArticleSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
SessionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ArticleIn(Input):
    title: Title
    body: ArticleBody = Field(description="Markdown; rendered to sanitised HTML (no raw HTML, no javascript: links)")
    category: Category
    status: Status = "draft"


class ArticlePatchIn(Input):
    title: Omittable[Title] = None
    body: Omittable[ArticleBody] = None
    category: Omittable[Category] = None
    status: Omittable[Status] = None
    version: Integer = Field(description="The version you edited: a newer one answers 409")


class PreviewIn(Input):
    body: ArticleBody


class ArticleSearchQuery(Input):
    q: Query = Field(default="", description="Words to find; each must match the start of a word of the article")
    limit: Annotated[int, Field(ge=1, le=50)] = 10


class FunnelQuery(Input):
    since: Day | None = Field(default=None, description="First day (UTC, YYYY-MM-DD); default: 29 days before until")
    until: Day | None = Field(default=None, description="Last day (UTC, YYYY-MM-DD); default: today. At most 366 days")


class HelpEventIn(Input):
    type: Literal["suggested", "opened", "submitted"]
    session: SessionId = Field(description="A random id the request form makes once per visit")
    article: Omittable[ArticleSlug] = None


class CsatSettingsIn(Input):
    surveys_enabled: bool


class RatingIn(Input):
    rating: Literal["good", "bad"]
    comment: Omittable[Annotated[str, StringConstraints(max_length=2000), PlainText(single_line=False)]] = None
