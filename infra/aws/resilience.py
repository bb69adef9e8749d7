"""Limits and recovery: reserved concurrency and timeouts per function, API throttling, backups of the tables.

- Reserved concurrency caps what one function can take from the account's pool (and what a flood can cost);
  a function not listed gets ``DEFAULT_RESERVED_CONCURRENCY``.
- The REST API's function must finish before API Gateway's 29 s integration limit.
- The REST API stage and the WebSocket stage throttle per account-wide stage (the app's per-workspace and
  per-key buckets refine it; WAF's per-IP rules come first).
- AWS Backup takes the tables daily into a vault under the stage's KMS key and copies each recovery point to a
  vault in a second region (``BackupCopyVaultArn``); PITR (35 days) stays the first resort, see the runbook.
"""

from __future__ import annotations

from typing import Any

from infra.aws import encryption

Json = dict[str, Any]

API_FUNCTION = "APIHandler"
API_TIMEOUT_SECONDS = 25  # API Gateway gives up at 29 s; leave room for cold start and the answer
DEFAULT_RESERVED_CONCURRENCY = 10
RESERVED_CONCURRENCY = {
    "APIHandler": 100,
    "WebsocketConnect": 20,
    "WebsocketMessage": 20,
    "WebsocketDisconnect": 20,
    "Notifications": 20,
    "Housekeeping": 2,
}
REST_THROTTLE = {"ThrottlingRateLimit": 200, "ThrottlingBurstLimit": 400}
WEBSOCKET_THROTTLE = {"ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 200}
BACKUP_RETENTION_DAYS = 35
COPY_RETENTION_DAYS = 35
BACKUP_POLICIES = ("AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores")


def function_settings(function: str) -> Json:
    settings: Json = {
        "ReservedConcurrentExecutions": RESERVED_CONCURRENCY.get(function, DEFAULT_RESERVED_CONCURRENCY),
        "KmsKeyArn": encryption.key_arn(),
    }
    if function == API_FUNCTION:
        settings["Timeout"] = API_TIMEOUT_SECONDS
    return settings


ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","route":"$context.routeKey",'
    '"method":"$context.httpMethod","path":"$context.path","status":"$context.status",'
    '"latency":"$context.responseLatency","error":"$context.error.message"}'
)


def rest_stage_settings(log_group: str) -> Json:
    return {
        "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*", "MetricsEnabled": True, **REST_THROTTLE}],
        "AccessLogSetting": {"DestinationArn": {"Fn::GetAtt": [log_group, "Arn"]}, "Format": ACCESS_LOG_FORMAT},
    }


def websocket_stage_settings(log_group: str) -> Json:
    return {
        "DefaultRouteSettings": WEBSOCKET_THROTTLE,
        "AccessLogSettings": {"DestinationArn": {"Fn::GetAtt": [log_group, "Arn"]}, "Format": ACCESS_LOG_FORMAT},
    }


def api_gateway_logging_role() -> dict[str, Json]:
    """API Gateway writes access logs through one role per account and region; without it the stage fails
    to deploy. Setting it here replaces whatever the account had (the same AWS managed policy)."""
    return {
        "ApiGatewayLoggingRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "apigateway.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": [_aws_managed("service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
            },
        },
        "ApiGatewayAccount": {
            "Type": "AWS::ApiGateway::Account",
            "Properties": {"CloudWatchRoleArn": {"Fn::GetAtt": ["ApiGatewayLoggingRole", "Arn"]}},
        },
    }


def parameters() -> Json:
    return {
        "BackupCopyVaultArn": {
            "Type": "String",
            "Default": "",
            "Description": "ARN of a Backup vault in a second region that receives a copy of every table backup.",
        }
    }


def conditions() -> Json:
    return {"CopiesBackups": {"Fn::Not": [{"Fn::Equals": [{"Ref": "BackupCopyVaultArn"}, ""]}]}}


def backup_resources(prefix: str, table_ids: list[str]) -> dict[str, Json]:
    rule: Json = {
        "RuleName": "daily",
        "TargetBackupVault": {"Ref": "BackupVault"},
        "ScheduleExpression": "cron(0 3 * * ? *)",
        "StartWindowMinutes": 60,
        "CompletionWindowMinutes": 360,
        "Lifecycle": {"DeleteAfterDays": BACKUP_RETENTION_DAYS},
        "CopyActions": {
            "Fn::If": [
                "CopiesBackups",
                [
                    {
                        "DestinationBackupVaultArn": {"Ref": "BackupCopyVaultArn"},
                        "Lifecycle": {"DeleteAfterDays": COPY_RETENTION_DAYS},
                    }
                ],
                {"Ref": "AWS::NoValue"},
            ]
        },
    }
    return {
        "BackupVault": {
            "Type": "AWS::Backup::BackupVault",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"BackupVaultName": f"{prefix}-tables", "EncryptionKeyArn": encryption.key_arn()},
        },
        "BackupPlan": {
            "Type": "AWS::Backup::BackupPlan",
            "Properties": {"BackupPlan": {"BackupPlanName": f"{prefix}-tables", "BackupPlanRule": [rule]}},
        },
        "BackupRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": [_aws_managed(f"service-role/{name}") for name in BACKUP_POLICIES],
            },
        },
        "BackupSelection": {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Ref": "BackupPlan"},
                "BackupSelection": {
                    "SelectionName": "tables",
                    "IamRoleArn": {"Fn::GetAtt": ["BackupRole", "Arn"]},
                    "Resources": [{"Fn::GetAtt": [table, "Arn"]} for table in table_ids],
                },
            },
        },
    }


def _aws_managed(name: str) -> Json:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{name}"}
