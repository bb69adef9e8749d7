"""Create the tables from the PynamoDB models: the models are the one definition of every table."""

from __future__ import annotations

import logging
from collections.abc import Iterable

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
