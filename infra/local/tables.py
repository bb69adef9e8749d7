"""Create the tables from the PynamoDB models: the models are the one definition of every table."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.exceptions import TableError
from pynamodb.models import Model

log = logging.getLogger("pulsedesk.local")


def reset_connections(models: Iterable[type[Model]]) -> None:
    """Forget PynamoDB's cached connections so the next call honours the current endpoint variables."""
    pending = list(models)
    while pending:
        model = pending.pop()
        if "_connection" in vars(model):
            model._connection = None
        pending.extend(model.__subclasses__())


def ensure_tables(models: Iterable[type[Model]]) -> None:
    """Create each model's table (with its GSIs, stream and TTL) unless it exists. Idempotent."""
    for model in models:
        ensure_table(model)


def ensure_table(model: type[Model]) -> None:
    if model.exists():
        _ensure_ttl(model)
        _ensure_indexes(model)
        return
    log.info("creating table %s", model.Meta.table_name)
    model.create_table(wait=True)


def _ensure_ttl(model: type[Model]) -> None:
    """TTL of an existing table: enabling it twice is an error DynamoDB reports, not a problem."""
    try:
        model.update_ttl(ignore_update_ttl_errors=False)
    except (ClientError, TableError) as error:
        if "already enabled" not in str(error).lower():
            raise


def _ensure_indexes(model: type[Model]) -> None:
    """A GSI the model gained since the table was created (the composite list keys): added one per
    UpdateTable, as DynamoDB allows; DynamoDB then indexes the items that carry its attributes."""
    schema = model._get_schema()
    client = model._get_connection().connection.client
    table = client.describe_table(TableName=model.Meta.table_name)["Table"]
    existing = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    for index in schema["global_secondary_indexes"]:
        if index["index_name"] in existing:
            continue
        log.info("adding index %s to table %s", index["index_name"], model.Meta.table_name)
        create = {
            "IndexName": index["index_name"],
            "KeySchema": [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in index["key_schema"]],
            "Projection": {"ProjectionType": index["projection"]["ProjectionType"]},
        }
        client.update_table(
            TableName=model.Meta.table_name,
            AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[{"Create": create}],
        )
        _wait_until_active(client, model.Meta.table_name)


def _wait_until_active(client: Any, table_name: str, attempts: int = 600) -> None:
    """The next index may be added only once this one is built."""
    for _ in range(attempts):
        table = client.describe_table(TableName=table_name)["Table"]
        building = [i for i in table.get("GlobalSecondaryIndexes", []) if i.get("IndexStatus", "ACTIVE") != "ACTIVE"]
        if table["TableStatus"] == "ACTIVE" and not building:
            return
        time.sleep(0.1)
    raise RuntimeError(f"table {table_name} did not become active")
