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

Json = dict[str, Any]

# AWS managed policies (ids are fixed by CloudFront).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
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
    }
    if rest is not None:
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
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
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
    behaviours = []
    if rest is not None:
        origins.append(_api_origin("RestApi", rest, origin_path=f"/{rest.stage}"))
        behaviours.append(_api_behaviour("/api/*", "RestApi", headers_policy="ApiResponseHeadersPolicy"))
    if websocket is not None:
        origins.append(_api_origin("WebSocketApi", websocket, origin_path=""))
        behaviours.append(_api_behaviour("/ws", "WebSocketApi", function="WebSocketPathFunction"))
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
                "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
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
    }
    if origin_path:
        origin["OriginPath"] = origin_path
    return origin


def _frontend_behaviour() -> Json:
    return {
        "TargetOriginId": "Frontend",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD"],
        "CachePolicyId": CACHING_OPTIMIZED,
        "ResponseHeadersPolicyId": SECURITY_HEADERS,
        "Compress": True,
        "FunctionAssociations": [_viewer_request("FrontendRoutingFunction")],
    }


def _api_response_headers_policy(prefix: str) -> Json:
    """``nosniff`` and ``no-store`` on every ``/api/*`` answer, also those API Gateway or CloudFront make
    themselves (throttling, 5xx, edge errors) which never pass through the app."""
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
                "Comment": "API answers: never cached, never sniffed",
                "SecurityHeadersConfig": {"ContentTypeOptions": {"Override": True}},
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
