"""What an agent may attach to a reply, and the S3 POST policy that makes S3 itself refuse the rest.

The browser uploads straight to S3 with a presigned POST, so the API never carries the bytes. The policy
pins the object key (the workspace, the ticket and a fresh id: an upload cannot land anywhere else),
the declared type and a size range; the comment only takes an upload once the object is there and its
size is what was declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What people attach to a support reply. Downloads of anything but raster images are served as
# application/octet-stream (services/attachments.served_type), so a type here is never run by a browser.
ALLOWED_TYPES = frozenset(
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
        "application/pdf", "text/plain", "text/csv",
        "application/zip",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)  # fmt: skip
MAX_ATTACHMENTS_PER_REPLY = 10
MAX_CC = 10
UPLOAD_WINDOW_SECONDS = 15 * 60  # the presigned POST, and the pending upload, live this long


@dataclass(frozen=True)
class UploadRequest:
    filename: str
    content_type: str
    size: int


def upload_problem(request: UploadRequest, max_bytes: int) -> tuple[str, str] | None:
    """The field and the reason an upload may not start, or None."""
    if request.content_type not in ALLOWED_TYPES:
        return "content_type", "is not a type replies may carry (images, PDF, text, CSV, ZIP, Office documents)"
    if request.size < 1:
        return "size", "must be at least 1 byte"
    if request.size > max_bytes:
        return "size", f"must be at most {max_bytes} bytes"
    return None


def post_policy_conditions(request: UploadRequest) -> list[Any]:
    """S3 POST policy conditions (the key itself is bound by boto's generate_presigned_post): exactly
    the declared type, exactly the declared size — a different file fails at S3, not later."""
    return [
        {"Content-Type": request.content_type},
        ["content-length-range", request.size, request.size],
    ]


def cc_problem(cc: list[str], public: bool, requester_email: str) -> tuple[str, str] | None:
    if not cc:
        return None
    if not public:
        return "cc", "is only for public replies (an internal note is never emailed)"
    if len({address.lower() for address in cc}) != len(cc):
        return "cc", "names an address twice"
    if requester_email.lower() in {address.lower() for address in cc}:
        return "cc", "names the requester, who receives the reply anyway"
    return None
