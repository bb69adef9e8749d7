"""Answers of "my sessions"."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import Output


class MySessionOut(Output):
    id: str
    device: str = Field(description="Browser and system in words, e.g. 'Chrome 131 on Mac OS X'")
    user_agent: str | None
    source_ip: str | None = Field(description="The address it signed in from")
    created_at: str
    last_used_at: str = Field(description="When it last renewed its access (about every 15 minutes in use)")
    current: bool = Field(description="The session making this request")


class MySessionListOut(Output):
    items: list[MySessionOut]
