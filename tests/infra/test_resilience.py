"""Resilience settings: the stage's KMS key everywhere data rests, reserved concurrency, the API's timeout under
API Gateway's, and table backups copied to a second region."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
KEY = {"Fn::GetAtt": ["DataKey", "Arn"]}


def _of_type(resources: Json, kind: str) -> Json:
    return {n: r for n, r in resources.items() if r["Type"] == kind}


def test_data_at_rest_uses_the_stage_key(resources: Json) -> None:
    assert resources["DataKey"]["Properties"]["EnableKeyRotation"] is True
    for table in _of_type(resources, "AWS::DynamoDB::Table").values():
        assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY}
    for queue in _of_type(resources, "AWS::SQS::Queue").values():
        assert queue["Properties"]["KmsMasterKeyId"] == KEY
    for bucket in _of_type(resources, "AWS::S3::Bucket").values():
        (rule,) = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY}
    for group in _of_type(resources, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["KmsKeyId"] == KEY
    assert resources["AlarmTopic"]["Properties"]["KmsMasterKeyId"] == KEY
    assert resources["BackupVault"]["Properties"]["EncryptionKeyArn"] == KEY


def test_every_function_has_reserved_concurrency_and_the_api_answers_before_the_gateway_gives_up(
    resources: Json,
) -> None:
    for name, function in _of_type(resources, "AWS::Serverless::Function").items():
        assert function["Properties"]["ReservedConcurrentExecutions"] >= 1, name
        assert function["Properties"]["KmsKeyArn"] == KEY, name
    assert resources["APIHandler"]["Properties"]["Timeout"] < 29


def test_every_table_is_backed_up_and_copied_to_a_second_region(resources: Json) -> None:
    selection = resources["BackupSelection"]["Properties"]["BackupSelection"]
    tables = {arn["Fn::GetAtt"][0] for arn in selection["Resources"]}
    assert tables == set(_of_type(resources, "AWS::DynamoDB::Table"))
    (rule,) = resources["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"]
    condition, copies, _ = rule["CopyActions"]["Fn::If"]
    assert condition == "CopiesBackups"
    assert copies[0]["DestinationBackupVaultArn"] == {"Ref": "BackupCopyVaultArn"}


def test_bounces_and_complaints_reach_the_feedback_function(resources: Json) -> None:
    (destination,) = [r for r in resources.values() if r["Type"] == "AWS::SES::ConfigurationSetEventDestination"]
    config = destination["Properties"]["EventDestination"]
    assert sorted(config["MatchingEventTypes"]) == ["bounce", "complaint"]
    topic = config["SnsDestination"]["TopicARN"]["Ref"]
    subscribers = [
        r["Properties"]["Handler"]
        for r in _of_type(resources, "AWS::Serverless::Function").values()
        for e in r["Properties"].get("Events", {}).values()
        if e["Type"] == "SNS" and e["Properties"]["Topic"] == {"Fn::Sub": f"${{{topic}}}"}
    ]
    assert subscribers == ["app.email_feedback"]
    for name, function in _of_type(resources, "AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["PULSEDESK_EMAIL_CONFIGURATION_SET"] == {"Ref": "EmailConfigurationSet"}, name
