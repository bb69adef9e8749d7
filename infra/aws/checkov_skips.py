"""The checkov findings this stack does not fix, each with the reason, written into the template's Metadata.

Keyed by resource type, so a new function or bucket carries the same reasoned skip with no edit here.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

SKIPS: dict[str, list[tuple[str, str]]] = {
    "AWS::Serverless::Function": [
        (
            "CKV_AWS_117",
            "No VPC: the functions reach only AWS APIs and the internet (Slack, webhooks); a VPC would add NAT "
            "gateways (~32 USD a month each) and cold-start time for no private resource to protect.",
        ),
        (
            "CKV_AWS_116",
            "No Lambda DLQ: it applies to asynchronous invocations only. Stream and queue consumers have their "
            "own on-failure queue and redrive DLQ; API functions answer synchronously; the schedule reruns "
            "every 5 minutes and its errors alarm.",
        ),
    ],
    "AWS::Serverless::Api": [
        ("CKV_AWS_120", "No API cache: every answer is per-caller data sent with Cache-Control: no-store."),
    ],
    "AWS::S3::Bucket": [
        (
            "CKV_AWS_18",
            "No server access logs: the frontend bucket is read only by CloudFront (OAC); the mail and attachment "
            "buckets only by their functions' roles (SES writes raw mail under a source-bound policy); every "
            "access is by an IAM role and can be traced in CloudTrail data events when needed.",
        ),
    ],
    "AWS::CloudFront::Distribution": [
        (
            "CKV_AWS_86",
            "No CloudFront standard logs: they need an ACL-enabled bucket; WAF metrics and sampled requests and "
            "the API Gateway access logs cover the dynamic traffic.",
        ),
        (
            "CKV_AWS_174",
            "TLSv1.2_2021 is set whenever a certificate is given (CertificateArn); CloudFront's default "
            "certificate, used only until a domain is set up, cannot enforce a minimum.",
        ),
    ],
}


def metadata(resource_type: str) -> Json | None:
    skips = SKIPS.get(resource_type)
    if not skips:
        return None
    return {"checkov": {"skip": [{"id": check, "comment": reason} for check, reason in skips]}}


def annotate(base_resources: Json, merge_resources: Json) -> None:
    """Adds the skips to every resource of a listed type, in the base template or added by the merge."""
    types = {name: resource["Type"] for name, resource in base_resources.items()}
    types.update({name: resource["Type"] for name, resource in merge_resources.items() if "Type" in resource})
    for name, resource_type in types.items():
        found = metadata(resource_type)
        if found is not None:
            merge_resources.setdefault(name, {})["Metadata"] = found
