"""Operations you can see: an alarm for each queue that must stay empty, each stream consumer, each function,
each table and each API, all notifying the alarm topic; a dashboard of the service's figures."""

from __future__ import annotations

import json
from typing import Any

Json = dict[str, Any]


def _of_type(resources: Json, kind: str) -> Json:
    return {n: r for n, r in resources.items() if r["Type"] == kind}


def _alarms(resources: Json) -> list[Json]:
    return [r["Properties"] for r in _of_type(resources, "AWS::CloudWatch::Alarm").values()]


def _dimension(alarm: Json, name: str) -> Any:
    return next((d["Value"] for d in alarm.get("Dimensions", []) if d["Name"] == name), None)


def _watching(resources: Json, metric: str, dimension: str) -> dict[Any, Json]:
    found = {}
    for alarm in _alarms(resources):
        if alarm.get("MetricName") == metric:
            found[json.dumps(_dimension(alarm, dimension), sort_keys=True)] = alarm
        for query in alarm.get("Metrics", []):
            stat = query.get("MetricStat", {}).get("Metric", {})
            if stat.get("MetricName") == metric:
                found[json.dumps(_dimension(stat, dimension), sort_keys=True)] = alarm
    return found


def test_every_dead_letter_and_stream_failure_queue_alarms_on_any_message(resources: Json) -> None:
    queues = _of_type(resources, "AWS::SQS::Queue")
    redrive_targets = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    failure_destinations = {
        e["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        for f in _of_type(resources, "AWS::Serverless::Function").values()
        for e in f["Properties"].get("Events", {}).values()
        if e["Type"] == "DynamoDB"
    }
    must_stay_empty = redrive_targets | failure_destinations
    assert must_stay_empty
    watched = _watching(resources, "ApproximateNumberOfMessagesVisible", "QueueName")
    for queue in must_stay_empty:
        alarm = watched[json.dumps(queues[queue]["Properties"]["QueueName"])]
        assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_every_function_alarms_on_errors_and_throttles(resources: Json) -> None:
    functions = _of_type(resources, "AWS::Serverless::Function")
    for metric in ("Errors", "Throttles"):
        watched = _watching(resources, metric, "FunctionName")
        for function in functions.values():
            assert json.dumps(function["Properties"]["FunctionName"]) in watched, metric


def test_every_stream_consumer_alarms_past_a_minute_of_lag(resources: Json) -> None:
    watched = _watching(resources, "IteratorAge", "FunctionName")
    consumers = [
        f["Properties"]["FunctionName"]
        for f in _of_type(resources, "AWS::Serverless::Function").values()
        if any(e["Type"] == "DynamoDB" for e in f["Properties"].get("Events", {}).values())
    ]
    assert consumers
    for name in consumers:
        assert watched[json.dumps(name)]["Threshold"] == 60_000


def test_every_table_alarms_on_throttling_and_the_apis_on_their_errors(resources: Json) -> None:
    reads = _watching(resources, "ReadThrottleEvents", "TableName")
    writes = _watching(resources, "WriteThrottleEvents", "TableName")
    for table in _of_type(resources, "AWS::DynamoDB::Table").values():
        name = json.dumps(table["Properties"]["TableName"])
        assert name in reads and name in writes
    assert _watching(resources, "5XXError", "ApiName")
    assert json.dumps({"Ref": "WebsocketAPI"}) in _watching(resources, "IntegrationError", "ApiId")


def test_every_alarm_notifies_the_topic_which_emails_the_given_address(resources: Json, template: Json) -> None:
    for alarm in _alarms(resources):
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert "AlarmEmail" in template["Parameters"]


def test_the_dashboard_shows_requests_latency_lag_deliveries_failures(resources: Json) -> None:
    body = resources["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    titles = [widget["properties"]["title"] for widget in json.loads(body)["widgets"]]
    for word in ("Requests", "p95", "Stream lag", "Deliveries", "Failures"):
        assert any(word in title for title in titles), word
