"""Reads hand their items to PynamoDB as the wire carries them (``chalicelib/data/wire_items.py``): what a
client with the hook answers is exactly what botocore's parser gives, for every kind of attribute value,
and an answer holding binary is botocore's whole (bytes, not base64 text)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib.data.wire_items import read_items_unparsed

EVERY_KIND = {
    "pk": {"S": "T#wire"},
    "sk": {"S": "one"},
    "text": {"S": 'héllo "quoted" \\ and \u2603'},
    "number": {"N": "12.50"},
    "flag": {"BOOL": False},
    "nothing": {"NULL": True},
    "names": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2"]},
    "list": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"L": [{"BOOL": True}]}}}]},
    "map": {"M": {"inner": {"S": "y"}, "empty": {"M": {}}}},
}


@pytest.fixture
def table(aws: None) -> Iterator[str]:
    name = f"wire-items-{uuid.uuid4().hex[:8]}"
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName=name, Item=EVERY_KIND)
    client.put_item(TableName=name, Item={**EVERY_KIND, "sk": {"S": "two"}})
    yield name
    client.delete_table(TableName=name)


def both_clients() -> tuple[Any, Any]:
    plain = boto3.client("dynamodb", region_name="us-east-1")
    hooked = boto3.client("dynamodb", region_name="us-east-1")
    read_items_unparsed(hooked)
    return plain, hooked


def test_every_read_answers_what_botocore_would_have_parsed(table: str) -> None:
    plain, hooked = both_clients()
    key = {"pk": {"S": "T#wire"}, "sk": {"S": "one"}}
    reads: list[tuple[str, dict[str, Any]]] = [
        (
            "query",
            {"TableName": table, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": key["pk"]}},
        ),
        (
            "query",  # a page: its LastEvaluatedKey is still botocore's to parse
            {
                "TableName": table,
                "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": key["pk"]},
                "Limit": 1,
            },
        ),
        ("scan", {"TableName": table}),
        ("get_item", {"TableName": table, "Key": key}),
        ("get_item", {"TableName": table, "Key": {**key, "sk": {"S": "missing"}}}),
        ("batch_get_item", {"RequestItems": {table: {"Keys": [key, {**key, "sk": {"S": "two"}}]}}}),
    ]
    for operation, request in reads:
        expected = getattr(plain, operation)(**request)
        got = getattr(hooked, operation)(**request)
        expected.pop("ResponseMetadata"), got.pop("ResponseMetadata")
        assert got == expected, operation
    assert hooked.get_item(TableName=table, Key=key)["Item"] == EVERY_KIND


def test_an_answer_with_binary_is_parsed_by_botocore(table: str) -> None:
    plain, hooked = both_clients()
    plain.put_item(TableName=table, Item={"pk": {"S": "T#wire"}, "sk": {"S": "bin"}, "blob": {"B": b"\x00\x01"}})
    answer = hooked.get_item(TableName=table, Key={"pk": {"S": "T#wire"}, "sk": {"S": "bin"}})
    assert answer["Item"]["blob"] == {"B": b"\x00\x01"}


def test_errors_are_left_to_botocore(table: str) -> None:
    _, hooked = both_clients()
    with pytest.raises(hooked.exceptions.ResourceNotFoundException):
        hooked.get_item(TableName=table + "-gone", Key={"pk": {"S": "x"}, "sk": {"S": "y"}})
