"""The public front: the frontend bucket behind CloudFront, with ``/api/*`` and ``/ws`` sent to API Gateway.

One origin for the browser: ``/`` from S3 (Origin Access Control, the bucket stays private), ``/api/*`` to the
REST API's stage, ``/ws`` to the WebSocket API's stage. Nothing dynamic is cached; the viewer's headers and query
string (the ``?token=`` of the socket) reach API Gateway. Error pages are not rewritten distribution-wide, so an
API 404 stays a problem+json 404: single-page routes are served by a viewer-request function instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.aws import encryption, waf
from infra.security_headers import (
    API_CSP,
    EMBEDDABLE_PATH_PATTERN,
    FRAME_OPTIONS,
    HSTS_MAX_AGE_SECONDS,
    REFERRER_POLICY,
    embeddable_policy,
    page_policy,
)

Json = dict[str, Any]
_NO_VALUE = {"Ref": "AWS::NoValue"}

# AWS managed policies (ids are fixed by CloudFront).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
# All viewer headers but Host (API Gateway answers only its own Host), plus every CloudFront-* header CloudFront
# adds, among them CloudFront-Viewer-Address (``ip:port`` of the viewer) which the API reads for per-IP limits.
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
VIEWER_ADDRESS_HEADER = "CloudFront-Viewer-Address"
# The managed origin request policies that forward VIEWER_ADDRESS_HEADER to the origin.
FORWARDS_VIEWER_ADDRESS = frozenset({ALL_VIEWER_EXCEPT_HOST_HEADER})
# API Gateway answers only requests that carry this header with the stage's secret value: CloudFront adds it,
# so the execute-api endpoints refuse anyone going around CloudFront (and its WAF).
ORIGIN_VERIFY_HEADER = "X-Pulsedesk-Origin-Verify"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]

SPA_FUNCTION_CODE = """function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}"""


@dataclass(frozen=True)
class ApiOrigin:
    logical_id: str  # the API resource: its Ref is the API id
    stage: str


def edge_resources(prefix: str, rest: ApiOrigin | None, websocket: ApiOrigin | None) -> dict[str, Json]:
    resources: dict[str, Json] = {
        "FrontendBucket": _bucket(),
        "FrontendBucketPolicy": _bucket_policy(),
        "FrontendOriginAccessControl": _origin_access_control(prefix),
        "FrontendRoutingFunction": _function(f"{prefix}-spa-routes", "index.html for app routes", SPA_FUNCTION_CODE),
        "Distribution": _distribution(prefix, rest, websocket),
        "FrontendResponseHeadersPolicy": _frontend_response_headers_policy(prefix),
        "FrontendEmbeddableHeadersPolicy": _embeddable_response_headers_policy(prefix),
    }
    if rest is not None or websocket is not None:
        resources["ApiResponseHeadersPolicy"] = _api_response_headers_policy(prefix)
    if websocket is not None:
        resources["WebSocketPathFunction"] = _function(
            f"{prefix}-ws-path", "Map /ws to the WebSocket API stage", _ws_path_code(websocket.stage)
        )
    return resources


def _ws_path_code(stage: str) -> str:
    return f"function handler(event) {{\n  event.request.uri = '/{stage}';\n  return event.request;\n}}"


def _bucket() -> Json:
    return {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": encryption.key_arn(),
                        },
                        "BucketKeyEnabled": True,
                    }
                ]
            },
            "VersioningConfiguration": {"Status": "Enabled"},
        },
    }


def _bucket_policy() -> Json:
    distribution_arn = {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"}
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "FrontendBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontReadsTheFrontend",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${FrontendBucket.Arn}/*"},
                        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
                    }
                ],
            },
        },
    }


def _origin_access_control(prefix: str) -> Json:
    return {
        "Type": "AWS::CloudFront::OriginAccessControl",
        "Properties": {
            "OriginAccessControlConfig": {
                "Name": f"{prefix}-frontend",
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    }


def _function(name: str, comment: str, code: str) -> Json:
    return {
        "Type": "AWS::CloudFront::Function",
        "Properties": {
            "Name": name,
            "AutoPublish": True,
            "FunctionCode": code,
            "FunctionConfig": {"Comment": comment, "Runtime": "cloudfront-js-2.0"},
        },
    }


def _distribution(prefix: str, rest: ApiOrigin | None, websocket: ApiOrigin | None) -> Json:
    origins = [_s3_origin()]
    # the public web form, framed by customers' sites (the widget): its own headers, else the frontend's
    behaviours = [{**_frontend_behaviour("FrontendEmbeddableHeadersPolicy"), "PathPattern": EMBEDDABLE_PATH_PATTERN}]
    if rest is not None:
        origins.append(_api_origin("RestApi", rest, origin_path=f"/{rest.stage}"))
        behaviours.append(_api_behaviour("/api/*", "RestApi", headers_policy="ApiResponseHeadersPolicy"))
    if websocket is not None:
        origins.append(_api_origin("WebSocketApi", websocket, origin_path=""))
        behaviours.append(
            _api_behaviour(
                "/ws", "WebSocketApi", function="WebSocketPathFunction", headers_policy="ApiResponseHeadersPolicy"
            )
        )
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Comment": f"{prefix}: frontend, /api and /ws",
                "Enabled": True,
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                "PriceClass": "PriceClass_100",
                "DefaultRootObject": "index.html",
                "Origins": origins,
                "DefaultCacheBehavior": _frontend_behaviour(),
                "CacheBehaviors": behaviours,
                "Aliases": {"Fn::If": ["HasCertificate", {"Fn::Split": [",", {"Ref": "DomainAliases"}]}, _NO_VALUE]},
                "ViewerCertificate": {
                    "Fn::If": [
                        "HasCertificate",
                        {
                            "AcmCertificateArn": {"Ref": "CertificateArn"},
                            "SslSupportMethod": "sni-only",
                            "MinimumProtocolVersion": "TLSv1.2_2021",
                        },
                        {"CloudFrontDefaultCertificate": True},
                    ]
                },
                "WebACLId": waf.distribution_web_acl(),
            }
        },
    }


def _s3_origin() -> Json:
    return {
        "Id": "Frontend",
        "DomainName": {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]},
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": {"Fn::GetAtt": ["FrontendOriginAccessControl", "Id"]},
    }


def _api_origin(origin_id: str, api: ApiOrigin, origin_path: str) -> Json:
    origin: Json = {
        "Id": origin_id,
        "DomainName": {"Fn::Sub": f"${{{api.logical_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"},
        "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
        "OriginCustomHeaders": [{"HeaderName": ORIGIN_VERIFY_HEADER, "HeaderValue": origin_verify_value()}],
    }
    if origin_path:
        origin["OriginPath"] = origin_path
    return origin


def _frontend_behaviour(headers_policy: str = "FrontendResponseHeadersPolicy") -> Json:
    return {
        "TargetOriginId": "Frontend",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD"],
        "CachePolicyId": CACHING_OPTIMIZED,
        "ResponseHeadersPolicyId": {"Fn::GetAtt": [headers_policy, "Id"]},
        "Compress": True,
        "FunctionAssociations": [_viewer_request("FrontendRoutingFunction")],
    }


def origin_verify_value() -> Json:
    """The stage secret's ``origin_verify`` value, resolved by CloudFormation at the deployed version."""
    return {"Fn::Sub": "{{resolve:secretsmanager:${AppSecretName}:SecretString:origin_verify::${AppSecretVersion}}}"}


def _security_headers_config(policy: str) -> Json:
    """The same headers the local front serves (``infra/security_headers.py``), as CloudFront's config."""
    return {
        "ContentSecurityPolicy": {"ContentSecurityPolicy": policy, "Override": True},
        "StrictTransportSecurity": {
            "AccessControlMaxAgeSec": HSTS_MAX_AGE_SECONDS,
            "IncludeSubdomains": True,
            "Override": True,
        },
        "ContentTypeOptions": {"Override": True},
        "ReferrerPolicy": {"ReferrerPolicy": REFERRER_POLICY, "Override": True},
        "FrameOptions": {"FrameOption": FRAME_OPTIONS, "Override": True},
    }


def _frontend_response_headers_policy(prefix: str) -> Json:
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": f"{prefix}-page-headers",
                "Comment": "Pages: the app's CSP with frame-ancestors, HSTS, nosniff, referrer",
                "SecurityHeadersConfig": _security_headers_config(page_policy()),
            }
        },
    }


def _embeddable_response_headers_policy(prefix: str) -> Json:
    config = _security_headers_config(embeddable_policy(page_policy()))
    del config["FrameOptions"]  # X-Frame-Options cannot allow every site; frame-ancestors says it
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": f"{prefix}-embeddable-page-headers",
                "Comment": "The public web form: the pages' headers, but framable by any site (the widget)",
                "SecurityHeadersConfig": config,
            }
        },
    }


def _api_response_headers_policy(prefix: str) -> Json:
    """Security headers, ``nosniff`` and ``no-store`` on every ``/api/*`` and ``/ws`` answer, also those API
    Gateway or CloudFront make themselves (throttling, 5xx, edge errors) which never pass through the app."""
    custom = [
        {"Header": name, "Value": value, "Override": True}
        for name, value in API_RESPONSE_HEADERS.items()
        if name != "X-Content-Type-Options"  # CloudFront sets it through SecurityHeadersConfig only
    ]
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": f"{prefix}-api-headers",
                "Comment": "API answers: never cached, never sniffed, never framed",
                "SecurityHeadersConfig": _security_headers_config(API_CSP),
                "CustomHeadersConfig": {"Items": custom},
            }
        },
    }


def _api_behaviour(path: str, origin_id: str, function: str | None = None, headers_policy: str | None = None) -> Json:
    behaviour: Json = {
        "PathPattern": path,
        "TargetOriginId": origin_id,
        "ViewerProtocolPolicy": "https-only",
        "AllowedMethods": ALL_METHODS,
        "CachePolicyId": CACHING_DISABLED,
        "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST_HEADER,
        "Compress": True,
    }
    if function:
        behaviour["FunctionAssociations"] = [_viewer_request(function)]
    if headers_policy:
        behaviour["ResponseHeadersPolicyId"] = {"Fn::GetAtt": [headers_policy, "Id"]}
    return behaviour


def _viewer_request(function: str) -> Json:
    return {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [function, "FunctionARN"]}}
