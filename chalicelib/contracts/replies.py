"""Answers of the reply routes (attachment uploads)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import Output


class UploadStartedOut(Output):
    id: str = Field(description="Name it in the reply's `attachments` once the file is uploaded")
    url: str = Field(description="POST the file here as multipart/form-data: `fields` first, then `file`")
    fields: dict[str, str]
    expires_at: str = Field(description="The upload must be done, and the reply sent, before this")
    max_bytes: int
