"""Main-table stream records as item changes: the old and new item, decoded by their models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.data.models import MainItem


@dataclass(frozen=True)
class ItemChange:
    event_id: str
    event_name: str  # INSERT, MODIFY or REMOVE
    old: MainItem | None
    new: MainItem | None

    @property
    def current(self) -> MainItem | None:
        return self.new if self.new is not None else self.old


def item_change(record: DynamoDBRecord) -> ItemChange:
    images: dict[str, Any] = record.raw_event.get("dynamodb", {})
    return ItemChange(
        event_id=str(record.event_id),
        event_name=str(record.raw_event.get("eventName")),
        old=_decode(images.get("OldImage")),
        new=_decode(images.get("NewImage")),
    )


def _decode(image: dict[str, Any] | None) -> MainItem | None:
    if not image or "kind" not in image:
        return None
    return MainItem.from_raw_data(image)
