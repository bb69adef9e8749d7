"""DynamoDB tables generated from the PynamoDB models, the one definition of keys, GSIs, stream and TTL."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from infra.aws import encryption
from infra.aws.stage import Stage, pascal

Json = dict[str, Any]


def table_models() -> tuple[type[Model], ...]:
    from chalicelib.data.models import TABLE_MODELS

    return TABLE_MODELS


def logical_id(model: type[Model], stage: Stage) -> str:
    """``pulsedesk-prod-main`` -> ``MainTable``."""
    return pascal(model.Meta.table_name.removeprefix(stage.table_prefix)) + "Table"


def table_resources(stage: Stage) -> dict[str, Json]:
    return {logical_id(model, stage): table_resource(model) for model in table_models()}


def table_resource(model: type[Model]) -> Json:
    schema = model._get_schema()
    properties: Json = {
        "TableName": model.Meta.table_name,
        "BillingMode": getattr(model.Meta, "billing_mode", None) or "PAY_PER_REQUEST",
        "AttributeDefinitions": _attribute_definitions(schema),
        "KeySchema": _key_schema(schema["key_schema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": encryption.key_arn()},
        "DeletionProtectionEnabled": True,
    }
    if schema["global_secondary_indexes"]:
        properties["GlobalSecondaryIndexes"] = [_gsi(index) for index in schema["global_secondary_indexes"]]
    if stream_view := getattr(model.Meta, "stream_view_type", None):
        properties["StreamSpecification"] = {"StreamViewType": stream_view}
    if ttl := ttl_attribute_name(model):
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": properties,
    }


def ttl_attribute_name(model: type[Model]) -> str | None:
    """The TTL attribute of a table, including the ones declared by discriminated item classes."""
    classes = [model, *_item_classes(model)]
    names = {
        attribute.attr_name
        for cls in classes
        for attribute in cls.get_attributes().values()
        if isinstance(attribute, TTLAttribute)
    }
    if len(names) > 1:
        raise ValueError(f"{model.__name__}: a table has one TTL attribute, the models declare {sorted(names)}")
    return names.pop() if names else None


def _item_classes(model: type[Model]) -> list[type[Model]]:
    discriminator = model._get_discriminator_attribute()
    return list(discriminator.get_registered_subclasses(model)) if discriminator else []


def _attribute_definitions(schema: Json) -> list[Json]:
    definitions: dict[str, str] = {}
    for item in [*schema["attribute_definitions"], *_index_attributes(schema)]:
        definitions[item["AttributeName"]] = item["AttributeType"]
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in sorted(definitions.items())]


def _index_attributes(schema: Json) -> list[Json]:
    indexes = [*schema["global_secondary_indexes"], *schema["local_secondary_indexes"]]
    return [item for index in indexes for item in index["attribute_definitions"]]


def _key_schema(keys: list[Json]) -> list[Json]:
    """HASH first, then RANGE, as CloudFormation requires."""
    ordered = sorted(keys, key=lambda key: key["KeyType"] != "HASH")
    return [{"AttributeName": key["AttributeName"], "KeyType": key["KeyType"]} for key in ordered]


def _gsi(index: Json) -> Json:
    projection = {"ProjectionType": index["projection"]["ProjectionType"]}
    if non_key := index["projection"].get("NonKeyAttributes"):
        projection["NonKeyAttributes"] = non_key
    return {"IndexName": index["index_name"], "KeySchema": _key_schema(index["key_schema"]), "Projection": projection}
