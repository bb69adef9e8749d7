"""Answers of the knowledge base, the help centre, deflection and satisfaction-survey routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.contracts.responses import Output

ArticleStatus = Literal["draft", "published"]


class ArticleAuthorOut(Output):
    id: str
    name: str


class ArticleSummaryOut(Output):
    id: str = Field(description="The article's slug: fixed when it is created")
    title: str
    category: str
    status: ArticleStatus
    summary: str = Field(description="The start of the body as plain text")
    author: ArticleAuthorOut
    updated_at: str
    published_at: str | None
    version: int


class ArticleOut(ArticleSummaryOut):
    body: str = Field(description="Markdown source")
    html: str = Field(description="The body rendered to sanitised HTML")


class ArticleListOut(Output):
    items: list[ArticleSummaryOut]
    categories: list[str]


class ArticleVersionOut(Output):
    number: int
    title: str
    body: str
    category: str
    status: ArticleStatus
    author: ArticleAuthorOut
    at: str


class ArticleVersionListOut(Output):
    items: list[ArticleVersionOut]


class PreviewOut(Output):
    html: str


class ArticleHitOut(Output):
    id: str
    title: str
    category: str
    summary: str
    url: str = Field(description="The article's public address in the help centre")


class ArticleSearchOut(Output):
    items: list[ArticleHitOut]


class HelpCategoryOut(Output):
    name: str
    articles: list[ArticleHitOut]


class HelpCentreOut(Output):
    workspace: str = Field(description="The workspace's name")
    categories: list[HelpCategoryOut]


class PublicArticleOut(Output):
    id: str
    title: str
    category: str
    html: str
    updated_at: str
    workspace: str


class FunnelDayOut(Output):
    day: str
    suggested: int = Field(description="Request forms that showed at least one suggested article")
    opened: int = Field(description="...that opened a suggested article")
    submitted_after_open: int = Field(description="...that opened one and still sent the request")
    deflected: int = Field(description="opened - submitted_after_open: requests the articles answered")


class FunnelOut(Output):
    days: list[FunnelDayOut]
    suggested: int
    opened: int
    submitted_after_open: int
    deflected: int


class HelpEventOut(Output):
    counted: bool = Field(description="False when this session had this step counted already")


class CsatSettingsOut(Output):
    surveys_enabled: bool


class SurveyOut(Output):
    workspace: str
    ticket_number: int
    subject: str
    rating: Literal["good", "bad"] | None
    comment: str
    expires_at: str
