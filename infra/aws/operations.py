"""Operations you can see: an SNS alarm topic, the alarms that page, and a dashboard of the service's figures.

Alarms are derived from the template like everything else: each queue's dead-letter queue and the
stream-failure queue (any message), each stream consumer (iterator age), each function (errors, throttles),
each table (throttled reads or writes), the REST API (5xx rate) and the WebSocket API (integration errors).
A new function, queue or table gets its alarms with no edit here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]

PERIOD = 300  # SQS publishes every 5 minutes; one period for all keeps the alarms comparable
ITERATOR_AGE_MS = 60_000
API_5XX_RATE = 0.01  # share of requests answered 5xx over a period
TOPIC = "AlarmTopic"


@dataclass(frozen=True)
class Watched:
    """What the alarms watch, as logical ids (and the names CloudWatch's dimensions need)."""

    functions: dict[str, str]  # logical id -> function name
    stream_consumers: list[str]  # logical ids of functions fed by a stream
    queues: dict[str, str]  # logical id of a queue that must stay empty -> its name
    tables: dict[str, str]  # logical id -> table name
    rest_api_name: str | None
    rest_stage: str | None
    websocket_api: str | None  # logical id
    websocket_stage: str | None
    namespace: str  # the app's own metrics (Powertools)
    service: str


def parameters() -> Json:
    return {
        "AlarmEmail": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
            "Description": "Who is emailed when an alarm fires (confirm the subscription email). Empty: none.",
        }
    }


def conditions() -> Json:
    return {"HasAlarmEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}}


def resources(watched: Watched, prefix: str, kms_key: Json) -> dict[str, Json]:
    out: dict[str, Json] = {
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": f"{prefix}-alarms", "KmsMasterKeyId": kms_key},
        },
        "AlarmTopicPolicy": _topic_policy(),
        "AlarmEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {"TopicArn": {"Ref": TOPIC}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}},
        },
        "Dashboard": {
            "Type": "AWS::CloudWatch::Dashboard",
            "Properties": {"DashboardName": prefix, "DashboardBody": {"Fn::Sub": json.dumps(_dashboard(watched))}},
        },
    }
    out.update(alarms(watched, prefix))
    return out


def alarms(watched: Watched, prefix: str) -> dict[str, Json]:
    found: dict[str, Json] = {}
    for queue, name in watched.queues.items():
        found[f"{queue}NotEmptyAlarm"] = _alarm(
            f"{prefix} {name}: messages waiting (failed work to look at)",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            {"QueueName": name},
            "Maximum",
            0,
        )
    for function in watched.stream_consumers:
        found[f"{function}IteratorAgeAlarm"] = _alarm(
            f"{prefix} {function}: stream records wait over {ITERATOR_AGE_MS // 1000} s",
            "AWS/Lambda",
            "IteratorAge",
            {"FunctionName": watched.functions[function]},
            "Maximum",
            ITERATOR_AGE_MS,
        )
    for function, name in watched.functions.items():
        for metric in ("Errors", "Throttles"):
            found[f"{function}{metric}Alarm"] = _alarm(
                f"{prefix} {function}: {metric.lower()}", "AWS/Lambda", metric, {"FunctionName": name}, "Sum", 0
            )
    for table, name in watched.tables.items():
        found[f"{table}ThrottleAlarm"] = _expression_alarm(
            f"{prefix} {name}: throttled reads or writes",
            "reads + writes",
            {
                "reads": ("AWS/DynamoDB", "ReadThrottleEvents", {"TableName": name}, "Sum"),
                "writes": ("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": name}, "Sum"),
            },
            0,
        )
    if watched.rest_api_name and watched.rest_stage:
        dims = {"ApiName": watched.rest_api_name, "Stage": watched.rest_stage}
        found["RestApi5xxRateAlarm"] = _expression_alarm(
            f"{prefix} REST API: over {API_5XX_RATE:.0%} of requests answered 5xx",
            "IF(requests > 0, errors / requests, 0)",
            {
                "errors": ("AWS/ApiGateway", "5XXError", dims, "Sum"),
                "requests": ("AWS/ApiGateway", "Count", dims, "Sum"),
            },
            API_5XX_RATE,
        )
    if watched.websocket_api and watched.websocket_stage:
        found["WebSocketIntegrationErrorAlarm"] = _alarm(
            f"{prefix} WebSocket API: integration errors",
            "AWS/ApiGateway",
            "IntegrationError",
            {"ApiId": {"Ref": watched.websocket_api}, "Stage": watched.websocket_stage},
            "Sum",
            0,
        )
    return found


def _alarm(description: str, namespace: str, metric: str, dimensions: Json, statistic: str, threshold: float) -> Json:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
            "Statistic": statistic,
            "Period": PERIOD,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": TOPIC}],
            "OKActions": [{"Ref": TOPIC}],
        },
    }


def _expression_alarm(
    description: str, expression: str, metrics: dict[str, tuple[str, str, Json, str]], threshold: float
) -> Json:
    queries: list[Json] = [{"Id": "result", "Expression": expression, "ReturnData": True}]
    for metric_id, (namespace, name, dimensions, statistic) in metrics.items():
        queries.append(
            {
                "Id": metric_id,
                "ReturnData": False,
                "MetricStat": {
                    "Metric": {
                        "Namespace": namespace,
                        "MetricName": name,
                        "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
                    },
                    "Period": PERIOD,
                    "Stat": statistic,
                },
            }
        )
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Metrics": queries,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": TOPIC}],
            "OKActions": [{"Ref": TOPIC}],
        },
    }


def _topic_policy() -> Json:
    """CloudWatch may publish to the topic, only for alarms of this account."""
    return {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {
            "Topics": [{"Ref": TOPIC}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudWatchAlarmsPublish",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudwatch.amazonaws.com"},
                        "Action": "sns:Publish",
                        "Resource": {"Ref": TOPIC},
                        "Condition": {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}},
                    }
                ],
            },
        },
    }


# --- dashboard ---


def _dashboard(watched: Watched) -> Json:
    """Requests, p95 latency, stream lag, deliveries, failures. A string for Fn::Sub (``${AWS::Region}``)."""
    widgets: list[Json] = []
    if watched.rest_api_name and watched.rest_stage:
        api = ["AWS/ApiGateway", None, "ApiName", watched.rest_api_name, "Stage", watched.rest_stage]
        widgets.append(_widget("Requests and 5xx (REST API)", [_m(api, "Count", "Sum"), _m(api, "5XXError", "Sum")]))
        widgets.append(_widget("Latency p95 (REST API, ms)", [_m(api, "Latency", "p95"), _m(api, "Latency", "p50")]))
    lag = [
        _m(["AWS/Lambda", None, "FunctionName", watched.functions[f]], "IteratorAge", "Maximum")
        for f in watched.stream_consumers
    ]
    if lag:
        widgets.append(_widget("Stream lag (iterator age, ms)", lag))
    app_metrics = [
        "NotificationsDelivered",
        "NotificationsEnqueued",
        "LiveEventsDelivered",
        "NotificationsDeadLettered",
    ]
    widgets.append(
        _widget(
            "Deliveries",
            [_m([watched.namespace, None, "service", watched.service], name, "Sum") for name in app_metrics],
        )
    )
    failures = [
        _m(["AWS/SQS", None, "QueueName", name], "ApproximateNumberOfMessagesVisible", "Maximum")
        for name in watched.queues.values()
    ]
    failures += [_m(["AWS/Lambda", None, "FunctionName", name], "Errors", "Sum") for name in watched.functions.values()]
    widgets.append(_widget("Failures (waiting dead letters, function errors)", failures))
    for index, widget in enumerate(widgets):
        widget.update({"x": (index % 2) * 12, "y": (index // 2) * 6, "width": 12, "height": 6})
    return {"widgets": widgets}


def _m(base: list[Any], metric: str, stat: str) -> list[Any]:
    namespace, _, *dimensions = base
    return [namespace, metric, *dimensions, {"stat": stat}]


def _widget(title: str, metrics: list[list[Any]]) -> Json:
    return {
        "type": "metric",
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "period": PERIOD,
            "view": "timeSeries",
            "metrics": metrics,
        },
    }
