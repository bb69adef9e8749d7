"""S3 object-created events for raw inbound email. Each record is one message, received on its
own: a message that cannot be read is logged and dropped by the service without stopping the
others. A failure of the machinery (DynamoDB, S3 unreachable) is raised only after every record
was tried, so Lambda's retry of the event repeats just that work: receiving is idempotent by
Message-ID, and the messages already received come back as duplicates."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from chalicelib.observability import logger
from chalicelib.services.inbound_email import receive_stored


class InboundBatchFailed(RuntimeError):
    """Some messages of the event could not be received; the event is to be retried."""


def handle_inbound_records(event: dict[str, Any]) -> dict[str, Any]:
    results: list[str] = []
    failed: list[str] = []
    for record in event.get("Records") or []:
        s3 = record.get("s3") or {}
        bucket = str((s3.get("bucket") or {}).get("name") or "")
        key = unquote_plus(str((s3.get("object") or {}).get("key") or ""))
        try:
            results.append(receive_stored(bucket, key).result)
        except Exception:
            logger.exception("inbound email failed; the event will be retried", extra={"bucket": bucket, "key": key})
            results.append("failed")
            failed.append(key)
    if failed:
        raise InboundBatchFailed(f"{len(failed)} of {len(results)} messages failed: {', '.join(failed)[:500]}")
    return {"results": results}
