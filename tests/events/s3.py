"""S3 event notifications as Lambda receives them (``s3:ObjectCreated:Put``), for the inbound
email handler: ``client.lambda_.invoke("inbound_email", object_created_event(bucket, key))``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus


def object_created_record(bucket: str, key: str, size: int = 0, region: str = "us-east-1") -> dict[str, Any]:
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": "2026-11-30T00:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:SES"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": "TESTREQUEST", "x-amz-id-2": "TESTID"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "inbound_email",
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "TESTOWNER"}, "arn": f"arn:aws:s3:::{bucket}"},
            # S3 URL-encodes keys in events (a space arrives as '+')
            "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": "0", "sequencer": "0"},
        },
    }


def object_created_event(bucket: str, *keys: str) -> dict[str, Any]:
    return {"Records": [object_created_record(bucket, key) for key in keys]}
