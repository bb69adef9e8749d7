"""Feeds the main table's stream, as moto records it, to the app's stream handlers, like Lambda's
event source mapping, so API tests cover everything the stream drives.

moto keeps real stream records for a table with a stream, but its DynamoDB Streams HTTP API
answers this botocore's calls with "Not yet implemented", so the pump reads moto's shard directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends


class StreamPump:
    def __init__(self, chalice_client: Any, table_name: str) -> None:
        self._lambda = chalice_client.lambda_
        self._table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(table_name)
        self._arn = f"{self._table.table_arn}/stream/{self._table.latest_stream_label}"
        self._position = len(self._table.stream_shard.items)

    def pump(self, handlers: tuple[str, ...] = ("workflows", "realtime", "metrics"), rounds: int = 20) -> int:
        """Delivers new records until the stream is quiet (handlers write, which makes more records)."""
        delivered = 0
        for _ in range(rounds):
            records = self._read()
            if not records:
                return delivered
            for start in range(0, len(records), 100):
                event = {"Records": records[start : start + 100]}
                for handler in handlers:
                    response = self._lambda.invoke(handler, event)
                    assert not (response.payload or {}).get("batchItemFailures"), response.payload
            delivered += len(records)
        raise AssertionError("the stream never went quiet")

    def read(self) -> list[dict[str, Any]]:
        """The records not delivered yet (now taken as delivered), for a test that invokes a handler itself."""
        return self._read()

    def _read(self) -> list[dict[str, Any]]:
        items = self._table.stream_shard.items[self._position :]
        self._position += len(items)
        return [_lambda_shape(item.to_json(), self._arn) for item in items]


def _lambda_shape(record: dict[str, Any], arn: str) -> dict[str, Any]:
    data = dict(record["dynamodb"])
    created = data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        data["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": data, "eventSourceARN": arn, "awsRegion": "us-east-1"}
