"""The stage's customer-managed KMS key: tables, queues, buckets, log groups and the alarm topic use it.

"Encrypted data and secure storage" is a product promise: with a key of our own, CloudTrail shows every use,
the key can be disabled to cut all access at once, and it rotates yearly. The key policy delegates to IAM (the
account root statement) and lets the AWS services that encrypt on our behalf use it, each only for this
account's resources: CloudWatch Logs for the log groups, CloudWatch for alarms publishing to the encrypted topic,
CloudFront for reading the frontend bucket through Origin Access Control.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

KEY = "DataKey"
USE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]


def key_arn() -> Json:
    return {"Fn::GetAtt": [KEY, "Arn"]}


def resources(prefix: str) -> dict[str, Json]:
    return {
        KEY: {
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": f"{prefix}: tables, queues, buckets, logs, alarm topic",
                "EnableKeyRotation": True,
                "KeyPolicy": _policy(),
            },
        },
        "DataKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": f"alias/{prefix}", "TargetKeyId": {"Ref": KEY}},
        },
    }


def role_statement() -> Json:
    """What a function needs to read and write encrypted queues (SQS calls KMS as the caller)."""
    return {"Sid": "DataKeyUse", "Effect": "Allow", "Action": USE_ACTIONS, "Resource": [key_arn()]}


def _policy() -> Json:
    account = {"Ref": "AWS::AccountId"}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersThroughIam",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "LogGroupsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": {
                            "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"
                        }
                    }
                },
            },
            {
                "Sid": "AlarmsPublishToTheEncryptedTopic",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": USE_ACTIONS,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
            },
            {
                "Sid": "SesPublishesToTheEncryptedTopic",
                "Effect": "Allow",
                "Principal": {"Service": "ses.amazonaws.com"},
                "Action": USE_ACTIONS,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
            },
            {
                "Sid": "CloudFrontReadsTheFrontend",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": ["kms:Decrypt"],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "aws:SourceArn": {
                            "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/*"
                        }
                    }
                },
            },
        ],
    }
