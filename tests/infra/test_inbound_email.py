"""Email in, in the packaged template: SES receiving stores raw MIME in a private, encrypted, expiring bucket
that only this account's receipt rule may write; its ObjectCreated events trigger the inbound_email function,
which alone reads the raw mail and writes attachments; the REST API alone reads attachments (presigned)."""

from __future__ import annotations

import json
from typing import Any

Json = dict[str, Any]
S3_ACTIONS_PREFIX = "s3:"


def functions_with_s3_events(resources: Json) -> dict[str, Json]:
    found = {}
    for name, res in resources.items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        for event in res["Properties"].get("Events", {}).values():
            if event["Type"] == "S3":
                found[name] = event["Properties"]
    return found


def statements_of(resources: Json, function: str) -> list[Json]:
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    return [s for p in resources[role]["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def s3_grants(resources: Json, function: str) -> dict[str, list[Any]]:
    grants: dict[str, list[Any]] = {}
    for statement in statements_of(resources, function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        for action in actions:
            if action.startswith(S3_ACTIONS_PREFIX):
                grants.setdefault(action, []).extend(statement["Resource"])
    return grants


def bucket_path(arn: Json) -> tuple[str, str]:
    """(bucket name template, path) of an ``arn:…:s3:::${Bucket}/path`` value built by the template."""
    text, variables = arn["Fn::Sub"]
    return variables["Bucket"]["Fn::Sub"], text.split("${Bucket}", 1)[1]


def name_of(resources: Json, bucket: str) -> str:
    return str(resources[bucket]["Properties"]["BucketName"]["Fn::Sub"])


def assert_private_and_encrypted(bucket: Json) -> None:
    props = bucket["Properties"]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert bucket["DeletionPolicy"] == "Retain"


def test_the_inbound_bucket_is_private_encrypted_and_expires_raw_mail(resources: Json) -> None:
    bucket = resources["InboundBucket"]
    assert_private_and_encrypted(bucket)
    assert "CorsConfiguration" not in bucket["Properties"], "no browser talks to the inbound bucket"
    (rule,) = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["Prefix"] == "raw/"
    assert 1 <= rule["ExpirationInDays"] <= 90


def test_the_attachments_bucket_is_private_and_encrypted(resources: Json) -> None:
    assert_private_and_encrypted(resources["AttachmentsBucket"])
    # downloads are navigations; only reply uploads (presigned POSTs from the app's own origin) need CORS
    (rule,) = resources["AttachmentsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"] and rule["AllowedOrigins"] == [{"Ref": "PublicBaseUrl"}]


def test_only_this_accounts_receipt_rule_may_put_raw_mail(resources: Json) -> None:
    policy = resources["InboundBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "InboundBucket"}
    statements = policy["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    (ses,) = allows
    assert ses["Principal"] == {"Service": "ses.amazonaws.com"} and ses["Action"] == "s3:PutObject"
    assert bucket_path(ses["Resource"]) == (name_of(resources, "InboundBucket"), "/raw/*")
    assert ses["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    source_arn = ses["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
    rule = resources["InboundReceiptRule"]["Properties"]["Rule"]["Name"]
    rule_set = resources["InboundReceiptRuleSet"]["Properties"]["RuleSetName"]
    assert source_arn.endswith(f":receipt-rule-set/{rule_set}:receipt-rule/{rule}")
    assert "${AWS::AccountId}" in source_arn
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_receipt_rule_scans_and_stores_mail_for_the_inbound_domain(resources: Json) -> None:
    rule = resources["InboundReceiptRule"]
    assert "InboundBucketPolicy" in rule["DependsOn"], "SES checks its write access when the rule is created"
    props = rule["Properties"]
    assert props["RuleSetName"] == {"Ref": "InboundReceiptRuleSet"}
    assert props["Rule"]["Enabled"] is True and props["Rule"]["ScanEnabled"] is True
    assert props["Rule"]["Recipients"] == [{"Ref": "InboundDomain"}]
    (action,) = props["Rule"]["Actions"]
    assert action == {"S3Action": {"BucketName": {"Ref": "InboundBucket"}, "ObjectKeyPrefix": "raw/"}}


def test_a_separate_inbound_domain_gets_its_own_identity(template: Json) -> None:
    identity = template["Resources"]["InboundDomainIdentity"]
    assert identity["Properties"]["EmailIdentity"] == {"Ref": "InboundDomain"}
    assert identity["Condition"] in template["Conditions"]
    assert "InboundDomain" in template["Parameters"]
    assert "inbound-smtp.${AWS::Region}.amazonaws.com" in template["Outputs"]["InboundMxRecord"]["Value"]["Fn::Sub"]


def test_new_raw_mail_triggers_the_inbound_email_function(resources: Json) -> None:
    (function, event), *others = functions_with_s3_events(resources).items()
    assert not others
    assert function == "InboundEmail"
    assert event["Bucket"] == {"Ref": "InboundBucket"}
    assert event["Events"] == ["s3:ObjectCreated:*"]
    assert event["Filter"] == {"S3Key": {"Rules": [{"Name": "prefix", "Value": "raw/"}]}}


def test_the_functions_name_the_buckets_without_depending_on_them(resources: Json) -> None:
    # GIVEN the bucket's notification depends on the function, THEN the function and its role may only name
    # the bucket (a Ref or GetAtt would close a dependency cycle); only the S3 event refers to it, by design
    for function, res in resources.items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        variables = res["Properties"]["Environment"]["Variables"]
        assert variables["PULSEDESK_INBOUND_BUCKET"]["Fn::Sub"] == name_of(resources, "InboundBucket")
        assert variables["PULSEDESK_ATTACHMENTS_BUCKET"]["Fn::Sub"] == name_of(resources, "AttachmentsBucket")
        assert variables["PULSEDESK_INBOUND_DOMAIN"] == {"Ref": "InboundDomain"}
        role = res["Properties"]["Role"]["Fn::GetAtt"][0]
        properties = {key: value for key, value in res["Properties"].items() if key != "Events"}
        text = json.dumps([properties, resources[role]])
        for bucket in ("InboundBucket", "AttachmentsBucket"):
            assert f'"Ref": "{bucket}"' not in text and f'"{bucket}", "Arn"' not in text, (function, bucket)


def test_only_the_receiver_reads_raw_mail_and_writes_attachments(resources: Json) -> None:
    inbound, attachments = name_of(resources, "InboundBucket"), name_of(resources, "AttachmentsBucket")
    receiver = s3_grants(resources, "InboundEmail")
    assert {action: [bucket_path(arn) for arn in arns] for action, arns in receiver.items()} == {
        "s3:GetObject": [(inbound, "/raw/*")],
        "s3:PutObject": [(attachments, "/*")],
    }
    api = s3_grants(resources, "APIHandler")
    assert {action: [bucket_path(arn) for arn in arns] for action, arns in api.items()} == {
        "s3:GetObject": [(attachments, "/*")],
        "s3:PutObject": [(attachments, "/*")],  # presigned reply uploads are authorised as the signer
    }
    sender = s3_grants(resources, "Notifications")
    assert {action: [bucket_path(arn) for arn in arns] for action, arns in sender.items()} == {
        "s3:GetObject": [(attachments, "/*")]
    }
    for function, res in resources.items():
        if res["Type"] == "AWS::Serverless::Function" and function not in {
            "InboundEmail",
            "APIHandler",
            "Notifications",
        }:
            assert s3_grants(resources, function) == {}, function
