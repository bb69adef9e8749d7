"""The events Lambda hands a handler, in the shapes AWS documents: API Gateway WebSocket,
DynamoDB Streams, SQS and EventBridge schedules. Used by the gateway, the event runner and tests."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from chalice.local import LambdaContext

LOCAL_ACCOUNT_ID = "000000000000"
LAMBDA_TIMEOUT_MS = 900_000


def lambda_context(function_name: str, memory_size: int = 512) -> LambdaContext:
    return LambdaContext(function_name=function_name, memory_size=memory_size, max_runtime_ms=LAMBDA_TIMEOUT_MS)


def _now_ms() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() * 1000)


def _request_time(epoch_ms: int) -> str:
    """API Gateway's ``requestTime``, e.g. ``09/Feb/2019:21:04:27 +0000``."""
    return dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


# --- API Gateway WebSocket -------------------------------------------------------------------


@dataclass(frozen=True)
class WsConnection:
    """What API Gateway knows about one WebSocket connection; every event on it repeats this."""

    connection_id: str
    api_id: str = "local"
    domain_name: str = "127.0.0.1"
    stage: str = "api"
    source_ip: str = "127.0.0.1"
    user_agent: str = ""
    connected_at_ms: int = field(default_factory=_now_ms)
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, list[str]] = field(default_factory=dict)


def new_connection_id() -> str:
    """An id shaped like API Gateway's (base64 of 11 bytes, e.g. ``L0SM9cOFvHcCIhw=``)."""
    return base64.b64encode(secrets.token_bytes(11)).decode()


def _ws_request_context(conn: WsConnection, route_key: str, event_type: str) -> dict[str, Any]:
    now = _now_ms()
    request_id = str(uuid.uuid4())
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "messageDirection": "IN",
        "extendedRequestId": request_id,
        "requestId": request_id,
        "requestTime": _request_time(now),
        "requestTimeEpoch": now,
        "connectedAt": conn.connected_at_ms,
        "connectionId": conn.connection_id,
        "apiId": conn.api_id,
        "domainName": conn.domain_name,
        "stage": conn.stage,
        "identity": {"sourceIp": conn.source_ip, "userAgent": conn.user_agent},
    }


def _single_values(values: Mapping[str, list[str]]) -> dict[str, str] | None:
    return {name: items[-1] for name, items in values.items()} if values else None


def ws_connect_event(conn: WsConnection) -> dict[str, Any]:
    """``$connect``: the only event carrying the handshake's query string and headers."""
    return {
        "headers": _single_values(conn.headers),
        "multiValueHeaders": dict(conn.headers) or None,
        "queryStringParameters": _single_values(conn.query),
        "multiValueQueryStringParameters": dict(conn.query) or None,
        "requestContext": _ws_request_context(conn, "$connect", "CONNECT"),
        "isBase64Encoded": False,
    }


def ws_message_event(conn: WsConnection, route_key: str, body: str | bytes) -> dict[str, Any]:
    context = _ws_request_context(conn, route_key, "MESSAGE")
    context["messageId"] = base64.b64encode(uuid.uuid4().bytes[:8]).decode()
    return {
        "requestContext": context,
        "body": _b64(body),
        "isBase64Encoded": isinstance(body, bytes),
    }


def ws_disconnect_event(conn: WsConnection, status_code: int = 1000, reason: str = "") -> dict[str, Any]:
    context = _ws_request_context(conn, "$disconnect", "DISCONNECT")
    context["disconnectStatusCode"] = status_code
    context["disconnectReason"] = reason
    return {
        "headers": _single_values(conn.headers),
        "multiValueHeaders": dict(conn.headers) or None,
        "requestContext": context,
        "isBase64Encoded": False,
    }


# --- DynamoDB Streams ------------------------------------------------------------------------


def dynamodb_stream_record(
    *,
    event_name: str,
    stream_data: Mapping[str, Any],
    source_arn: str,
    region: str,
    event_id: str | None = None,
) -> dict[str, Any]:
    """One ``Records[]`` entry; ``stream_data`` is the ``dynamodb`` part (Keys, images, SequenceNumber...)."""
    return {
        "eventID": event_id or uuid.uuid4().hex,
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dict(stream_data),
        "eventSourceARN": source_arn,
    }


def lambda_record_from_get_records(record: Mapping[str, Any], source_arn: str, region: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it.

    DynamoDB Local omits ``eventSourceARN``, reports ``awsRegion`` as ``ddblocal``, and botocore
    parses ``ApproximateCreationDateTime`` into a datetime and binary values into bytes; Lambda
    hands the handler epoch seconds and base64 strings.
    """
    stream_data = dict(record["dynamodb"])
    created = stream_data.get("ApproximateCreationDateTime")
    if isinstance(created, dt.datetime):
        stream_data["ApproximateCreationDateTime"] = created.timestamp()  # as the wire carries it
    for image in ("Keys", "NewImage", "OldImage"):
        if image in stream_data:
            stream_data[image] = image_as_json(stream_data[image])
    return lambda_record_from_wire({**record, "dynamodb": stream_data}, source_arn, region)


def lambda_record_from_wire(record: Mapping[str, Any], source_arn: str, region: str) -> dict[str, Any]:
    """A GetRecords record as the wire carries it (its JSON, unparsed), as Lambda delivers it: the images are
    already the event's JSON; only the creation time (epoch seconds, fractional) and the ARN and region differ."""
    stream_data = dict(record["dynamodb"])
    if "ApproximateCreationDateTime" in stream_data:
        stream_data["ApproximateCreationDateTime"] = int(stream_data["ApproximateCreationDateTime"])
    lambda_record = dynamodb_stream_record(
        event_name=record["eventName"],
        stream_data=stream_data,
        source_arn=source_arn,
        region=region,
        event_id=record.get("eventID"),
    )
    if "userIdentity" in record:
        lambda_record["userIdentity"] = record["userIdentity"]
    return lambda_record


def image_as_json(image: Mapping[str, Any]) -> dict[str, Any]:
    """An item's AttributeValues as the JSON of a Lambda event carries them (binary as base64)."""
    return {name: _json_attribute(value) for name, value in image.items()}


def _json_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    """An AttributeValue as JSON carries it: bytes become base64 text, recursively."""
    (type_name, inner), *_ = value.items()
    if type_name == "B":
        return {"B": _b64(inner)}
    if type_name == "BS":
        return {"BS": [_b64(item) for item in inner]}
    if type_name == "L":
        return {"L": [_json_attribute(item) for item in inner]}
    if type_name == "M":
        return {"M": {name: _json_attribute(item) for name, item in inner.items()}}
    return {type_name: inner}


def _b64(data: Any) -> str:
    """Base64 text of bytes (or of boto3's ``Binary`` wrapper); text is already encoded."""
    raw = getattr(data, "value", data)
    return base64.b64encode(raw).decode() if isinstance(raw, bytes | bytearray) else str(raw)


# --- SQS -------------------------------------------------------------------------------------


def sqs_record(message: Mapping[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One ``Records[]`` entry from a ReceiveMessage message (attributes requested with ``All``)."""
    body: str = message["Body"]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _sqs_message_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's checksum
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def _sqs_message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    binary = value.get("BinaryValue")
    return {
        "stringValue": value.get("StringValue"),
        "binaryValue": _b64(binary) if binary is not None else None,
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [_b64(item) for item in value.get("BinaryListValues", [])],
        "dataType": value["DataType"],
    }


# --- EventBridge schedules -------------------------------------------------------------------


def scheduled_event(rule_name: str, region: str, account_id: str = LOCAL_ACCOUNT_ID) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account_id}:rule/{rule_name}"],
        "detail": {},
    }


# --- S3 notifications ------------------------------------------------------------------------


def s3_record_as_lambda_gets_it(record: Mapping[str, Any], account_id: str = LOCAL_ACCOUNT_ID) -> dict[str, Any]:
    """An S3 event notification record as S3 hands it to Lambda.

    moto's notification carries the bucket, the key, size and ETag; S3's own also names who
    wrote the object, the request and an ordering ``sequencer``, which a handler may read.
    """
    lambda_record = dict(record)
    principal = f"AWS:{account_id}"
    lambda_record.setdefault("userIdentity", {"principalId": principal})
    lambda_record.setdefault("requestParameters", {"sourceIPAddress": "127.0.0.1"})
    request_ids = {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), "x-amz-id-2": _b64(secrets.token_bytes(48))}
    lambda_record.setdefault("responseElements", request_ids)
    s3 = dict(lambda_record["s3"])
    bucket = dict(s3["bucket"])
    bucket.setdefault("ownerIdentity", {"principalId": principal})
    bucket.setdefault("arn", f"arn:aws:s3:::{bucket['name']}")
    s3_object = dict(s3["object"])
    # S3 URL-encodes the key but leaves its slashes (``raw/abc``); moto encodes those too (``raw%2Fabc``)
    s3_object["key"] = quote_plus(unquote_plus(s3_object["key"]), safe="/")
    s3_object.setdefault("sequencer", f"{time.time_ns():016X}")
    lambda_record["s3"] = {**s3, "bucket": bucket, "object": s3_object}
    return lambda_record
