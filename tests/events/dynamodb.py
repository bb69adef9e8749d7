"""DynamoDB Streams events as Lambda delivers them, built from the images of an item.

event = stream_event(stream_record(new_image=ticket))            # INSERT
event = stream_event(stream_record(new_image=after, old_image=before))  # MODIFY
client.lambda_.invoke("on_main_table_change", event)
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from pynamodb.models import Model

from infra.local.lambda_events import dynamodb_stream_record, image_as_json

DEFAULT_STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/pulsedesk-dev-main/stream/2024-01-01T00:00:00.000"
_sequence = itertools.count(100_000_000_000_000_000_000)
_serializer = TypeSerializer()

Image = Model | Mapping[str, Any]


def stream_record(
    *,
    new_image: Image | None = None,
    old_image: Image | None = None,
    key_names: Sequence[str] = ("pk", "sk"),
    event_name: str | None = None,
    sequence_number: str | None = None,
    stream_arn: str = DEFAULT_STREAM_ARN,
    region: str = "us-east-1",
    view_type: str = "NEW_AND_OLD_IMAGES",
) -> dict[str, Any]:
    """One record; an image is a PynamoDB item or a plain dict of Python values.

    The event name follows from the images (INSERT, MODIFY, REMOVE) unless given.
    """
    if new_image is None and old_image is None:
        raise ValueError("a stream record needs a new image, an old image or both")
    new, old = _attribute_values(new_image), _attribute_values(old_image)
    present = new if new is not None else old
    assert present is not None
    names = _key_names(new_image if new_image is not None else old_image, key_names)
    stream_data: dict[str, Any] = {
        "ApproximateCreationDateTime": int(time.time()),
        "Keys": {name: present[name] for name in names},
        "SequenceNumber": sequence_number or str(next(_sequence)),
        "SizeBytes": len(repr(present)),
        "StreamViewType": view_type,
    }
    if new is not None:
        stream_data["NewImage"] = new
    if old is not None:
        stream_data["OldImage"] = old
    return dynamodb_stream_record(
        event_name=event_name or _event_name(new, old),
        stream_data=stream_data,
        source_arn=stream_arn,
        region=region,
    )


def stream_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def _attribute_values(image: Image | None) -> dict[str, Any] | None:
    if image is None:
        return None
    if isinstance(image, Model):
        return image_as_json(image.serialize())
    return image_as_json({name: _serializer.serialize(value) for name, value in image.items() if value is not None})


def _key_names(image: Image | None, default: Sequence[str]) -> Sequence[str]:
    if isinstance(image, Model):
        keys = [attr for attr in image.get_attributes().values() if attr.is_hash_key or attr.is_range_key]
        return [attr.attr_name for attr in sorted(keys, key=lambda attr: not attr.is_hash_key)]
    return default


def _event_name(new: Mapping[str, Any] | None, old: Mapping[str, Any] | None) -> str:
    if old is None:
        return "INSERT"
    return "REMOVE" if new is None else "MODIFY"
