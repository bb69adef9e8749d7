"""SES's configuration set for workspace mail: bounces and complaints go to an SNS topic that the
``email_feedback`` function reads into the workspace's suppression list (``services/email_feedback.py``)."""

from __future__ import annotations

from typing import Any

from infra.aws import encryption

Json = dict[str, Any]

TOPIC = "EmailEventsTopic"
CONFIGURATION_SET = "EmailConfigurationSet"


def resources(prefix: str, topic_name: str) -> dict[str, Json]:
    return {
        CONFIGURATION_SET: {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {"Name": prefix, "ReputationOptions": {"ReputationMetricsEnabled": True}},
        },
        "EmailEventsDestination": {
            "Type": "AWS::SES::ConfigurationSetEventDestination",
            "Properties": {
                "ConfigurationSetName": {"Ref": CONFIGURATION_SET},
                "EventDestination": {
                    "Name": "bounces-and-complaints",
                    "Enabled": True,
                    "MatchingEventTypes": ["bounce", "complaint"],
                    "SnsDestination": {"TopicARN": {"Ref": TOPIC}},
                },
            },
        },
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": topic_name, "KmsMasterKeyId": encryption.key_arn()},
        },
        "EmailEventsTopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": TOPIC}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "SesPublishesThisAccountsEvents",
                            "Effect": "Allow",
                            "Principal": {"Service": "ses.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": {"Ref": TOPIC},
                            "Condition": {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}},
                        }
                    ],
                },
            },
        },
    }


def configuration_set_arn() -> Json:
    prefix = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
    return {"Fn::Sub": f"{prefix}:configuration-set/${{{CONFIGURATION_SET}}}"}
