"""Least privilege: each function's role holds exactly what the code it runs calls, and no private key is in
any function's configuration."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.aws import access

Json = dict[str, Any]
PREFIX = "pulsedesk-prod-"


def _functions(resources: Json) -> Json:
    return {n: r for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}


def _statements(resources: Json, function: str) -> dict[str, Json]:
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    (policy,) = resources[role]["Properties"]["Policies"]
    return {statement["Sid"]: statement for statement in policy["PolicyDocument"]["Statement"]}


def _table_ids(resources: Json) -> dict[str, str]:
    return {
        r["Properties"]["TableName"].removeprefix(PREFIX): n
        for n, r in resources.items()
        if r["Type"] == "AWS::DynamoDB::Table"
    }


def _tables_granted(resources: Json, statement: Json) -> set[str]:
    by_id = {v: k for k, v in _table_ids(resources).items()}
    names = set()
    for arn in statement["Resource"]:
        logical = arn["Fn::GetAtt"][0] if "Fn::GetAtt" in arn else arn["Fn::Sub"].split(".")[0].lstrip("${")
        names.add(by_id[logical])
    return names


def _expected_sids(handler: str, needs: access.FunctionNeeds, events: set[str]) -> set[str]:
    sids = {"Metrics", "Tracing", "OwnLogs", "DataKeyUse"}
    if needs.tables:
        sids.add("Tables")
    sids |= {grant.sid for service in needs.services for grant in access.CLIENT_GRANTS[service]}
    if needs.reads_stage_secret:
        sids.add("StageSecretRead")
    if "DynamoDB" in events:
        sids |= {"StreamRead", "FailureDestination"}
    if "SQS" in events:
        sids.add("QueueConsume")
    if "S3" in events:  # the inbound-mail receiver: its own buckets (infra/aws/inbound.py)
        sids |= {"InboundMailRead", "AttachmentsWrite"}
    if handler == "app.app":  # presigns attachment downloads and reply uploads
        sids |= {"AttachmentsRead", "AttachmentsUpload"}
    if handler == "app.notifications":  # puts a reply's files into its email
        sids.add("AttachmentsRead")
    return sids


def test_every_function_has_a_role_of_its_own(resources: Json) -> None:
    roles = [r["Properties"]["Role"]["Fn::GetAtt"][0] for r in _functions(resources).values()]
    assert len(roles) == len(set(roles))


def test_each_role_grants_exactly_what_its_code_reaches(resources: Json) -> None:
    # GIVEN what each handler's code reaches (tables, AWS clients, signing), derived from its imports
    for function, resource in _functions(resources).items():
        needs = access.needs_of(resource["Properties"]["Handler"])
        events = {event["Type"] for event in resource["Properties"].get("Events", {}).values()}
        statements = _statements(resources, function)
        # THEN its role has those statements and no other
        assert set(statements) == _expected_sids(resource["Properties"]["Handler"], needs, events), function
        if needs.tables:
            granted = _tables_granted(resources, statements["Tables"])
            assert granted == {name.split("-")[-1] for name in needs.tables}, function


def test_the_derivation_matches_what_the_handlers_do(resources: Json) -> None:
    """Pinned by hand from the code, so a derivation that grew too wide or too narrow is caught."""
    by_handler = {r["Properties"]["Handler"]: n for n, r in _functions(resources).items()}
    sids = {handler: set(_statements(resources, fn)) for handler, fn in by_handler.items()}
    tables = {
        handler: _tables_granted(resources, _statements(resources, fn)["Tables"]) for handler, fn in by_handler.items()
    }
    # only the REST API signs tokens and adds Slack apps, and so only it may read the stage secret
    assert [h for h, s in sids.items() if "StageSecretRead" in s] == ["app.app"]
    # the live-update fan-out reads connections and posts to sockets; it sends no email and queues nothing
    assert tables["app.realtime"] == {"main", "connections"}
    assert "WebSocketPush" in sids["app.realtime"]
    assert not {"SendEmailAsTheSender", "QueuesSend"} & sids["app.realtime"]
    # notification delivery: email, idempotency records, retries back on the queue; no socket, no connections
    assert tables["app.notifications"] == {"main", "idempotency"}
    assert {"SendEmailAsTheSender", "QueuesSend", "QueueConsume"} <= sids["app.notifications"]
    assert "WebSocketPush" not in sids["app.notifications"]
    # the API rate-limits (limits table), and so do the mail receiver (per sender) and the WebSocket handlers
    # (frames per connection; one module serves connect, message and disconnect); nothing else touches it
    assert "limits" in tables["app.app"]
    assert sorted(h for h, t in tables.items() if "limits" in t) == [
        "app.app",
        "app.inbound_email",
        "app.ws_connect",
        "app.ws_disconnect",
        "app.ws_message",
    ]
    # only the receiver reads raw mail and writes attachments; the API reads them (to presign) and
    # presigns reply uploads; the notifications function reads them into a reply's email
    assert [h for h, s in sids.items() if "InboundMailRead" in s] == ["app.inbound_email"]
    assert sorted(h for h, s in sids.items() if "AttachmentsRead" in s) == ["app.app", "app.notifications"]
    assert [h for h, s in sids.items() if "AttachmentsUpload" in s] == ["app.app"]
    for handler in ("app.ws_connect", "app.ws_message", "app.ws_disconnect", "app.housekeeping"):
        assert "SendEmailAsTheSender" not in sids[handler], handler


def test_no_function_configuration_holds_the_private_key(resources: Json) -> None:
    for function, resource in _functions(resources).items():
        variables = resource["Properties"]["Environment"]["Variables"]
        assert "PULSEDESK_JWT_PRIVATE_KEY" not in variables, function
        assert "jwt_private_key" not in json.dumps(variables), function


def test_only_the_signing_function_knows_where_the_key_is(resources: Json) -> None:
    for function, resource in _functions(resources).items():
        variables = resource["Properties"]["Environment"]["Variables"]
        signs = access.needs_of(resource["Properties"]["Handler"]).reads_stage_secret
        assert ("PULSEDESK_JWT_SIGNING_SECRET" in variables) == signs, function
        if signs:
            assert variables["PULSEDESK_JWT_SIGNING_SECRET_VERSION"] == {"Ref": "AppSecretVersion"}
            (read,) = [s for s in _statements(resources, function).values() if s["Sid"] == "StageSecretRead"]
            assert read["Action"] == ["secretsmanager:GetSecretValue"]


def test_a_new_aws_client_without_a_grant_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "CLIENT_GRANTS", {k: v for k, v in access.CLIENT_GRANTS.items() if k != "ses"})
    with pytest.raises(ValueError, match="CLIENT_GRANTS"):
        access.needs_of("app.notifications")
