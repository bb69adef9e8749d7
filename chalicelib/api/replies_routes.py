from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router
from chalicelib.api.schemas import UploadIn
from chalicelib.contracts.replies import UploadStartedOut
from chalicelib.domain.permissions import Permission
from chalicelib.domain.reply_uploads import UploadRequest

router = Router(__name__, tag="tickets")


@router.route(
    "/tickets/{id}/uploads",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=UploadIn,
    response=UploadStartedOut,
    status=201,
    summary="Start a reply attachment: a presigned S3 POST for exactly this file (type and size)",
)
def start_upload(call: Call[UploadIn, Any]) -> UploadStartedOut:
    from chalicelib.services import reply_uploads

    request = UploadRequest(call.body.filename, call.body.content_type, call.body.size)
    return reply_uploads.start_upload(call.principal, call.path["id"], request)
