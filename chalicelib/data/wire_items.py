"""DynamoDB's answers to reads handed to PynamoDB as the wire carries them.

botocore parses every attribute value of every item by walking the service model's shapes, and what it
builds is the wire's JSON again, which PynamoDB then reads: for a page of 25 tickets that walk was about a
third of the request's CPU. The two differ only in binary values (base64 text on the wire, bytes once
parsed): no model of ours stores binary, and an answer that holds any is left to botocore whole, as is
every error (retries and conditional failures need botocore's reading of them). What else an answer holds
(counts, ``LastEvaluatedKey``, ``UnprocessedKeys``) is still botocore's to parse.
"""

from __future__ import annotations

import json
import weakref
from functools import partial
from typing import Any

_ITEMS = {"Query": "Items", "Scan": "Items", "GetItem": "Item", "BatchGetItem": "Responses"}
_BINARY_MARKERS = (b'"B":', b'"BS":')
_hooked: weakref.WeakSet[Any] = weakref.WeakSet()


def read_items_unparsed(client: Any) -> None:
    """Once per botocore client: reads' items skip botocore's parser."""
    if client in _hooked:
        return
    for operation, member in _ITEMS.items():
        event = f"before-parse.dynamodb.{operation}"  # unique: two threads hooking a new client hook it once
        client.meta.events.register(event, partial(_items_unparsed, member), unique_id=f"wire-items-{operation}")
    _hooked.add(client)


def _items_unparsed(
    member: str, response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    body = response_dict["body"]
    if response_dict["status_code"] != 200 or any(marker in body for marker in _BINARY_MARKERS):
        return
    answer = json.loads(body)
    items = answer.pop(member, None)
    if items is None:
        return
    customized_response_dict[member] = items  # botocore adds it to what it parsed of the rest
    response_dict["body"] = json.dumps(answer).encode()
