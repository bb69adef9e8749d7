"""Least-privilege execution-role policies, one role per function, written out (Chalice's autogen misses PynamoDB).

A function gets what its code calls (``infra.aws.access`` derives it: its tables and their indexes, SES as the
configured sender, sending to the app's queues, posting to WebSocket connections, the signing secret only if it
signs), metrics in the app's namespace and X-Ray segments, its own log group; a function with an event source
also gets what Lambda needs to read it for that function: the one stream, or receive/delete on the one queue,
and send on the stream-failure destination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infra.aws import email_events
from infra.aws.access import CLIENT_GRANTS, FunctionNeeds, Grant

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
QUEUE_CONSUME_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
]


@dataclass(frozen=True)
class AppResources:
    """The app's resources a grant can name, as CloudFormation values (ARNs or intrinsics)."""

    table_ids: dict[str, str]  # physical table name -> logical id
    queues: list[Json]  # ARNs of the queues the app sends to
    websocket: Json | None
    streams: list[Json]  # the table streams the app's consumers read
    secret: Json
    email_sender: Json
    metrics_namespace: str

    def named(self, key: str) -> list[Json]:
        found: dict[str, list[Json]] = {
            "queues": self.queues,
            "websocket": [self.websocket] if self.websocket is not None else [],
            "email": [_arn("ses", "identity/*"), email_events.configuration_set_arn()],
            "streams": self.streams,
        }
        return found[key]


@dataclass
class FunctionAccess:
    """What Lambda needs on a function's behalf: its log group and its event sources."""

    log_groups: list[Json] = field(default_factory=list)
    streams: list[Json] = field(default_factory=list)
    consumed_queues: list[Json] = field(default_factory=list)
    failure_destinations: list[Json] = field(default_factory=list)
    extra_statements: list[Json] = field(default_factory=list)  # e.g. infra.aws.inbound.receiver_statements


def role_policies(name: str, statements: list[Json]) -> list[Json]:
    return [{"PolicyName": name, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]


def code_statements(needs: FunctionNeeds, app: AppResources, extra: tuple[Grant, ...] = ()) -> list[Json]:
    """What the function's own code calls: its tables, its AWS clients, the stage secret if it reads it."""
    statements = []
    if needs.tables:
        statements.append(
            _allow("Tables", TABLE_ACTIONS, _table_and_index_arns([app.table_ids[t] for t in needs.tables]))
        )
    grants = [grant for service in needs.services for grant in CLIENT_GRANTS[service]] + list(extra)
    for grant in grants:
        resources = app.named(grant.resources)
        if not resources:
            continue
        statement = _allow(grant.sid, list(grant.actions), resources)
        if grant.resources == "email":
            statement["Condition"] = {"StringEquals": {"ses:FromAddress": app.email_sender}}
        statements.append(statement)
    if needs.reads_stage_secret:
        statements.append(_allow("StageSecretRead", ["secretsmanager:GetSecretValue"], [app.secret]))
    metrics = _allow("Metrics", ["cloudwatch:PutMetricData"], ["*"])
    metrics["Condition"] = {"StringEquals": {"cloudwatch:namespace": app.metrics_namespace}}
    statements.append(metrics)
    # Powertools Tracer (functions run with X-Ray tracing Active); X-Ray has no resource-level permissions.
    statements.append(_allow("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]))
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
