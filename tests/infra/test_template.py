"""The packaged production template: lint-clean, and faithful to the models and to the event-source rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint
from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.data.models import TABLE_MODELS

Json = dict[str, Any]
PROD_PREFIX = "pulsedesk-prod-"


def of_type(resources: Json, kind: str) -> Json:
    return {name: res for name, res in resources.items() if res["Type"] == kind}


def events(resources: Json, kind: str) -> list[tuple[str, Json]]:
    found = []
    for function, res in of_type(resources, "AWS::Serverless::Function").items():
        for name, event in res["Properties"].get("Events", {}).items():
            if event["Type"] == kind:
                found.append((f"{function}.{name}", event["Properties"]))
    return found


def table_named(resources: Json, model: type[Model]) -> tuple[str, Json]:
    logical = re.sub(r"^pulsedesk-[^-]+-", "", model.Meta.table_name)  # models were imported under a test prefix
    matches = [
        (n, r)
        for n, r in of_type(resources, "AWS::DynamoDB::Table").items()
        if r["Properties"]["TableName"] == PROD_PREFIX + logical
    ]
    assert len(matches) == 1, f"no single table for {model.__name__}"
    return matches[0]


def test_cfn_lint_reports_nothing(build_dir: Path) -> None:
    matches = lint((build_dir / "sam.json").read_text(), regions=["us-east-1", "eu-west-1"])
    assert [str(match) for match in matches] == []


def test_no_intrinsic_was_merged_into_another(template: Json) -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            functions = [key for key in node if key == "Ref" or key.startswith("Fn::")]
            assert not functions or len(node) == 1, path
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(template, "")


# --- tables match the PynamoDB models ---


def _gsis_of(model: type[Model]) -> set[tuple[str, str, str | None, str]]:
    found = set()
    for index in model._get_schema()["global_secondary_indexes"]:
        keys = {key["KeyType"]: key["AttributeName"] for key in index["key_schema"]}
        found.add((index["index_name"], keys["HASH"], keys.get("RANGE"), index["projection"]["ProjectionType"]))
    return found


def _gsis_in(table: Json) -> set[tuple[str, str, str | None, str]]:
    found = set()
    for index in table["Properties"].get("GlobalSecondaryIndexes", []):
        keys = {key["KeyType"]: key["AttributeName"] for key in index["KeySchema"]}
        assert index["KeySchema"][0]["KeyType"] == "HASH"
        found.add((index["IndexName"], keys["HASH"], keys.get("RANGE"), index["Projection"]["ProjectionType"]))
    return found


def _ttl_of(model: type[Model]) -> str | None:
    discriminator = model._get_discriminator_attribute()
    classes = [model, *(discriminator.get_registered_subclasses(model) if discriminator else [])]
    names = {a.attr_name for c in classes for a in c.get_attributes().values() if isinstance(a, TTLAttribute)}
    assert len(names) <= 1
    return names.pop() if names else None


@pytest.mark.parametrize("model", TABLE_MODELS, ids=lambda m: m.__name__)
def test_table_matches_its_model(resources: Json, model: type[Model]) -> None:
    _, table = table_named(resources, model)
    props = table["Properties"]
    schema = model._get_schema()
    assert {(k["AttributeName"], k["KeyType"]) for k in props["KeySchema"]} == {
        (k["AttributeName"], k["KeyType"]) for k in schema["key_schema"]
    }
    assert props["KeySchema"][0]["KeyType"] == "HASH"
    assert _gsis_in(table) == _gsis_of(model)
    defined = {d["AttributeName"]: d["AttributeType"] for d in props["AttributeDefinitions"]}
    used = {k["AttributeName"] for k in props["KeySchema"]} | {
        k["AttributeName"] for i in props.get("GlobalSecondaryIndexes", []) for k in i["KeySchema"]
    }
    assert set(defined) == used
    assert props.get("StreamSpecification", {}).get("StreamViewType") == getattr(model.Meta, "stream_view_type", None)
    ttl = props.get("TimeToLiveSpecification")
    assert (ttl["AttributeName"] if ttl and ttl["Enabled"] else None) == _ttl_of(model)
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_every_table_comes_from_a_model(resources: Json) -> None:
    assert len(of_type(resources, "AWS::DynamoDB::Table")) == len(TABLE_MODELS)


def test_the_main_table_keeps_its_expiring_items() -> None:
    """Sessions, throttles and delivery logs expire: their TTL attribute must be the main table's."""
    assert _ttl_of(TABLE_MODELS[0]) == "expires"


# --- event source mappings ---


def _points_at_queue(resources: Json, arn: Json) -> str:
    if "Fn::GetAtt" in arn:
        name, attribute = arn["Fn::GetAtt"]
    else:
        name, attribute = arn["Fn::Sub"].strip("${}").split(".")
    assert attribute == "Arn" and resources[name]["Type"] == "AWS::SQS::Queue", arn
    return str(name)


def test_every_stream_mapping_is_safe(resources: Json) -> None:
    mappings = events(resources, "DynamoDB")
    assert mappings, "the app has stream handlers"
    for name, props in mappings:
        table, attribute = props["Stream"]["Fn::GetAtt"]
        assert attribute == "StreamArn" and "StreamSpecification" in resources[table]["Properties"], name
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
        assert props["BisectBatchOnFunctionError"] is True, name
        assert 0 <= props["MaximumRetryAttempts"] <= 10, name
        assert 60 <= props["MaximumRecordAgeInSeconds"] <= 24 * 3600, name
        assert props["DestinationConfig"]["OnFailure"]["Type"] == "SQS", name
        _points_at_queue(resources, props["DestinationConfig"]["OnFailure"]["Destination"])
        assert 1 <= props["ParallelizationFactor"] <= 10, name


def test_tickets_are_routed_side_by_side_and_pushed_and_counted_one_batch_at_a_time(resources: Json) -> None:
    factors = {name.split(".")[0]: props["ParallelizationFactor"] for name, props in events(resources, "DynamoDB")}
    assert factors == {"Workflows": 4, "Realtime": 1, "Metrics": 1}


def test_only_the_metrics_consumer_waits_to_gather_a_batch(resources: Json) -> None:
    windows = {
        name.split(".")[0]: props["MaximumBatchingWindowInSeconds"] for name, props in events(resources, "DynamoDB")
    }
    assert windows == {"Workflows": 0, "Realtime": 0, "Metrics": 1}


def test_every_queue_mapping_reports_item_failures_and_has_a_dead_letter_queue(resources: Json) -> None:
    for name, props in events(resources, "SQS"):
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
        queue = resources[_points_at_queue(resources, props["Queue"])]["Properties"]
        assert queue["RedrivePolicy"]["maxReceiveCount"] > 0, name
        assert queue["VisibilityTimeout"] >= 6 * 30, name


def test_no_placeholder_arn_is_left(template: Json) -> None:
    text = json.dumps(template)
    assert "000000000000" not in text
    assert "pulsedesk-dev-" not in text


# --- API Gateway answers ---


def test_unknown_routes_answer_404_problem_json(resources: Json) -> None:
    (api,) = of_type(resources, "AWS::Serverless::Api").values()
    responses = api["Properties"]["GatewayResponses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    for response in (missing, responses["DEFAULT_4XX"], responses["DEFAULT_5XX"]):
        assert response["ResponseParameters"]["Headers"]["Content-Type"] == "'application/problem+json'"
        assert response["ResponseParameters"]["Headers"]["X-Content-Type-Options"] == "'nosniff'"
        assert response["ResponseParameters"]["Headers"]["Cache-Control"] == "'no-store'"
    assert json.loads(missing["ResponseTemplates"]["application/json"])["status"] == 404


# --- IAM ---


def _statements(resources: Json) -> list[tuple[str, Json]]:
    found = []
    for role, res in of_type(resources, "AWS::IAM::Role").items():
        for policy in res["Properties"].get("Policies", []):
            found += [(role, statement) for statement in policy["PolicyDocument"]["Statement"]]
    return found


def _names_a_table(resource: Any, tables: set[str]) -> bool:
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return resource["Fn::GetAtt"][0] in tables
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        return any(resource["Fn::Sub"].startswith(f"${{{table}.Arn}}/") for table in tables)
    return False


def test_dynamodb_actions_name_the_tables_never_a_wildcard(resources: Json) -> None:
    tables = set(of_type(resources, "AWS::DynamoDB::Table"))
    checked = 0
    for role, statement in _statements(resources):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(action.startswith("dynamodb:") for action in actions):
            checked += 1
            assert all(_names_a_table(resource, tables) for resource in statement["Resource"]), (role, statement)
            assert "dynamodb:Scan" not in actions and "dynamodb:*" not in actions
    assert checked


# --- functions and the front door ---


def test_every_function_is_traced_by_xray_and_may_send_its_segments(resources: Json) -> None:
    # GIVEN the Powertools Tracer in every handler (chalicelib/observability.py), THEN Lambda runs each
    # function with active tracing, the REST API starts the trace, and every role may write segments
    statements = _statements(resources)
    for function, res in of_type(resources, "AWS::Serverless::Function").items():
        assert res["Properties"]["Tracing"] == "Active", function
        role = res["Properties"]["Role"]["Fn::GetAtt"][0]
        tracing = [st for r, st in statements if r == role and st["Sid"] == "Tracing"]
        assert tracing and set(tracing[0]["Action"]) == {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    [rest_api] = of_type(resources, "AWS::Serverless::Api").values()
    assert rest_api["Properties"]["TracingEnabled"] is True


def test_every_function_gets_the_deployed_settings(resources: Json) -> None:
    for function, res in of_type(resources, "AWS::Serverless::Function").items():
        variables = res["Properties"]["Environment"]["Variables"]
        assert variables["PULSEDESK_TABLE_PREFIX"] == PROD_PREFIX, function
        assert variables["PULSEDESK_MAIN_STREAM_ARN"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
        assert variables["PULSEDESK_NOTIFICATIONS_QUEUE_URL"] == {"Ref": "NotificationsQueue"}
        assert "${WebsocketAPI}" in variables["PULSEDESK_WS_MANAGEMENT_ENDPOINT"]["Fn::Sub"]
        for secret in ("PULSEDESK_JWT_PUBLIC_KEYS", "PULSEDESK_CURSOR_SECRET"):
            assert "{{resolve:secretsmanager:" in variables[secret]["Fn::Sub"], (function, secret)
        assert f"{function}LogGroup" in res["DependsOn"]


def test_cloudfront_sends_api_and_ws_to_their_gateways(resources: Json) -> None:
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    routes = {b["PathPattern"]: origins[b["TargetOriginId"]] for b in config["CacheBehaviors"]}
    assert "${RestAPI}" in routes["/api/*"]["DomainName"]["Fn::Sub"]
    assert routes["/api/*"]["OriginPath"] == "/api"
    assert "${WebsocketAPI}" in routes["/ws"]["DomainName"]["Fn::Sub"]
    assert origins[config["DefaultCacheBehavior"]["TargetOriginId"]]["OriginAccessControlId"]
    assert "CustomErrorResponses" not in config, "would turn API 404 problems into index.html"


def test_cloudfront_marks_every_api_answer_nosniff_and_no_store(resources: Json) -> None:
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution").values()
    behaviours = distribution["Properties"]["DistributionConfig"]["CacheBehaviors"]
    (api,) = [b for b in behaviours if b["PathPattern"] == "/api/*"]
    policy_id = api["ResponseHeadersPolicyId"]["Fn::GetAtt"][0]
    config = resources[policy_id]["Properties"]["ResponseHeadersPolicyConfig"]
    assert config["SecurityHeadersConfig"]["ContentTypeOptions"] == {"Override": True}
    assert {"Header": "Cache-Control", "Value": "no-store", "Override": True} in config["CustomHeadersConfig"]["Items"]


def test_every_stage_names_an_existing_policy_file() -> None:
    chalice_dir = Path(__file__).resolve().parents[2] / ".chalice"
    for name, stage in json.loads((chalice_dir / "config.json").read_text())["stages"].items():
        if "iam_policy_file" in stage:
            document = json.loads((chalice_dir / stage["iam_policy_file"]).read_text())
            assert document["Statement"], name
