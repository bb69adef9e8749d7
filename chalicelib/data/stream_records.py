"""Reading a range of a DynamoDB stream shard back, as Lambda's on-failure destination only points at it.

Lambda sends the shard and the first and last sequence numbers of a batch it gave up on; the records
themselves stay in the stream for 24 hours. They come back here in the shape of a Lambda stream event's
records (binary values base64, times as epoch seconds), so a consumer can be run on them again.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from functools import lru_cache
from typing import Any

MAX_READS = 50  # GetRecords pages per range: a batch is at most 10,000 records in a few pages


@lru_cache(maxsize=4)
def _streams_client(endpoint: str | None, region: str | None) -> Any:
    import boto3  # loaded with the first client: most requests never make one

    return boto3.client("dynamodbstreams", region_name=region)


def _streams() -> Any:
    # botocore reads the streams API's endpoint from its own variable (the local stack sets it)
    return _streams_client(os.environ.get("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"), os.environ.get("AWS_DEFAULT_REGION"))


def read_range(stream_arn: str, shard_id: str, first: str, last: str) -> list[dict[str, Any]]:
    """The records of one shard from sequence number ``first`` to ``last``; [] once they have expired."""
    client = _streams()
    try:
        iterator = client.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=first
        ).get("ShardIterator")
    except client.exceptions.TrimmedDataAccessException:
        return []
    records: list[dict[str, Any]] = []
    for _ in range(MAX_READS):
        if not iterator:
            break
        page = client.get_records(ShardIterator=iterator)
        for record in page.get("Records", []):
            if int(record["dynamodb"]["SequenceNumber"]) > int(last):
                return records
            records.append(_as_lambda_record(record, stream_arn))
        if not page.get("Records") and records:
            break
        iterator = page.get("NextShardIterator")
    return records


def _as_lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    return {**_plain(record), "eventSourceARN": stream_arn}


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | set | tuple):
        return [_plain(item) for item in value]
    return value
