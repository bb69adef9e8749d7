"""Least-privilege execution-role policies, written out because Chalice's autogen misses PynamoDB and SES.

Every function gets the app's own calls (tables and their indexes, SES as the configured sender, sending to the
app's queues, posting to WebSocket connections, reading its one secret, its own log group, metrics in the app's
namespace, X-Ray trace segments); a function with an event source also gets what Lambda needs to read it for that
function: the one stream, or receive/delete on the one queue, and send on the stream-failure destination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

# PynamoDB's calls: items, queries, batches and the per-item actions a TransactWriteItems is authorised by;
# DescribeTable because PynamoDB reads the table's key schema before its first request. No Scan.
TABLE_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
]
STREAM_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
QUEUE_SEND_ACTIONS = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
QUEUE_CONSUME_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
]


@dataclass(frozen=True)
class AppAccess:
    """What every function of the app may touch, as CloudFormation values (ARNs or intrinsics)."""

    tables: list[str]  # logical ids of the tables
    queues: list[Json]  # ARNs of the queues the app sends to
    websocket_connections: Json | None
    secret: Json
    email_sender: Json
    metrics_namespace: str


@dataclass
class FunctionAccess:
    """What the functions of one role need beyond the app's calls: their log groups and event sources."""

    log_groups: list[Json] = field(default_factory=list)
    streams: list[Json] = field(default_factory=list)
    consumed_queues: list[Json] = field(default_factory=list)
    failure_destinations: list[Json] = field(default_factory=list)
    extra_statements: list[Json] = field(default_factory=list)  # e.g. infra.aws.inbound.receiver_statements


def role_policies(name: str, app: AppAccess, function: FunctionAccess) -> list[Json]:
    statements = [*app_statements(app), *function_statements(function)]
    return [{"PolicyName": name, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]


def app_statements(app: AppAccess) -> list[Json]:
    statements = [
        _allow("Tables", TABLE_ACTIONS, _table_and_index_arns(app.tables)),
        _allow("SendEmailAsTheSender", ["ses:SendEmail", "ses:SendRawEmail"], [_arn("ses", "identity/*")]),
        _allow("SecretRead", ["secretsmanager:GetSecretValue"], [app.secret]),
        _allow("Metrics", ["cloudwatch:PutMetricData"], ["*"]),
        # Powertools Tracer (functions run with X-Ray tracing Active); X-Ray has no resource-level permissions.
        _allow("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
    ]
    statements[1]["Condition"] = {"StringEquals": {"ses:FromAddress": app.email_sender}}
    statements[3]["Condition"] = {"StringEquals": {"cloudwatch:namespace": app.metrics_namespace}}
    if app.queues:
        statements.append(_allow("QueuesSend", QUEUE_SEND_ACTIONS, app.queues))
    if app.websocket_connections is not None:
        statements.append(_allow("WebSocketPush", ["execute-api:ManageConnections"], [app.websocket_connections]))
    return statements


def function_statements(function: FunctionAccess) -> list[Json]:
    statements = [_allow("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], function.log_groups)]
    if function.streams:
        statements.append(_allow("StreamRead", STREAM_ACTIONS, function.streams))
    if function.consumed_queues:
        statements.append(_allow("QueueConsume", QUEUE_CONSUME_ACTIONS, function.consumed_queues))
    if function.failure_destinations:
        statements.append(_allow("FailureDestination", ["sqs:SendMessage"], function.failure_destinations))
    return statements + _unique(function.extra_statements)


def _unique(statements: list[Json]) -> list[Json]:
    """Functions sharing a role may add the same statement each; a policy names it once."""
    seen: list[Json] = []
    for statement in statements:
        if statement not in seen:
            seen.append(statement)
    return seen


def _table_and_index_arns(tables: list[str]) -> list[Json]:
    arns: list[Json] = []
    for table in tables:
        arns += [{"Fn::GetAtt": [table, "Arn"]}, {"Fn::Sub": f"${{{table}.Arn}}/index/*"}]
    return arns


def _arn(service: str, resource: str) -> Json:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"}


def _allow(sid: str, actions: list[str], resources: list[Any]) -> Json:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
