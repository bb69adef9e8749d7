"""AWS WAF in front of CloudFront: AWS's managed common and known-bad-inputs rules, and rate limits per IP.

A CloudFront web ACL must live in us-east-1. A stack in us-east-1 creates it; a stack elsewhere takes the ARN
of one made there from ``python -m infra.aws.waf`` (the same rules as a template of its own) through the
``EdgeWebAclArn`` parameter. Sign-in, sign-up and password reset (``/api/v1/auth/*``) get a tight per-IP limit;
the app's own per-workspace and per-key buckets (``chalicelib/domain/rate_limits.py``) sit behind it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

Json = dict[str, Any]

WEB_ACL = "EdgeWebAcl"
AUTH_PATH = "/api/v1/auth/"
AUTH_REQUESTS_PER_5_MINUTES = 100  # per IP: a person signs in a few times; a credential-stuffing run does not
API_REQUESTS_PER_5_MINUTES = 3000  # per IP: 10 a second sustained, far over an agent's use


def parameters() -> Json:
    return {
        "EdgeWebAclArn": {
            "Type": "String",
            "Default": "",
            "Description": "Outside us-east-1 only: ARN of the CloudFront web ACL made from `python -m infra.aws.waf`.",
        }
    }


def conditions() -> Json:
    return {
        "CreatesEdgeWebAcl": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
        "HasEdgeWebAclArn": {"Fn::Not": [{"Fn::Equals": [{"Ref": "EdgeWebAclArn"}, ""]}]},
    }


def distribution_web_acl() -> Json:
    return {
        "Fn::If": [
            "CreatesEdgeWebAcl",
            {"Fn::GetAtt": [WEB_ACL, "Arn"]},
            {"Fn::If": ["HasEdgeWebAclArn", {"Ref": "EdgeWebAclArn"}, {"Ref": "AWS::NoValue"}]},
        ]
    }


def resources(prefix: str, condition: str | None = "CreatesEdgeWebAcl") -> dict[str, Json]:
    acl: Json = {
        "Type": "AWS::WAFv2::WebACL",
        "Properties": {
            "Name": f"{prefix}-edge",
            "Scope": "CLOUDFRONT",
            "DefaultAction": {"Allow": {}},
            "VisibilityConfig": _visibility(f"{prefix}-edge"),
            "Rules": rules(prefix),
        },
    }
    if condition:
        acl["Condition"] = condition
    return {WEB_ACL: acl}


def rules(prefix: str) -> list[Json]:
    return [
        _managed(
            1,
            "AWSManagedRulesCommonRuleSet",
            prefix,
            # The rule set blocks bodies over 8 KB; the app takes up to 1 MB (long replies) and checks size itself.
            count_only=["SizeRestrictions_BODY"],
        ),
        _managed(2, "AWSManagedRulesKnownBadInputsRuleSet", prefix),
        _rate_limit(3, f"{prefix}-auth-per-ip", AUTH_REQUESTS_PER_5_MINUTES, AUTH_PATH),
        _rate_limit(4, f"{prefix}-api-per-ip", API_REQUESTS_PER_5_MINUTES, "/api/"),
    ]


def _managed(priority: int, name: str, prefix: str, count_only: list[str] | None = None) -> Json:
    statement: Json = {"VendorName": "AWS", "Name": name}
    if count_only:
        statement["RuleActionOverrides"] = [{"Name": rule, "ActionToUse": {"Count": {}}} for rule in count_only]
    return {
        "Name": name,
        "Priority": priority,
        "OverrideAction": {"None": {}},
        "Statement": {"ManagedRuleGroupStatement": statement},
        "VisibilityConfig": _visibility(f"{prefix}-{name}"),
    }


def _rate_limit(priority: int, name: str, limit: int, path_prefix: str) -> Json:
    return {
        "Name": name,
        "Priority": priority,
        "Action": {"Block": {"CustomResponse": {"ResponseCode": 429}}},
        "Statement": {
            "RateBasedStatement": {
                "Limit": limit,
                "EvaluationWindowSec": 300,
                "AggregateKeyType": "IP",
                "ScopeDownStatement": {
                    "ByteMatchStatement": {
                        "FieldToMatch": {"UriPath": {}},
                        "PositionalConstraint": "STARTS_WITH",
                        "SearchString": path_prefix,
                        "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
                    }
                },
            }
        },
        "VisibilityConfig": _visibility(name),
    }


def _visibility(name: str) -> Json:
    return {"CloudWatchMetricsEnabled": True, "SampledRequestsEnabled": True, "MetricName": name}


def standalone_template(prefix: str) -> Json:
    """The web ACL alone, for a stack in us-east-1 when the app's stack is in another region."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{prefix}: CloudFront web ACL (deploy in us-east-1)",
        "Resources": resources(prefix, condition=None),
        "Outputs": {"EdgeWebAclArn": {"Value": {"Fn::GetAtt": [WEB_ACL, "Arn"]}}},
    }


if __name__ == "__main__":
    print(json.dumps(standalone_template(sys.argv[1] if len(sys.argv) > 1 else "pulsedesk-prod"), indent=2))
