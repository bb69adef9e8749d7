"""Email in: SES receiving for the inbound domain, the bucket it writes raw MIME to, the attachments bucket,
and the S3 trigger of the ``on_s3_event`` handler.

SES stores each received message under ``raw/`` of the inbound bucket; the object-created event invokes the
function. SAM creates an S3 event's notification and invoke permission only for a bucket in the same template,
so both buckets live here. Their names are built (``<stage prefix>-inbound-<account>-<region>``, unique per
account and region) rather than read back with ``Ref``: the bucket's notification depends on the function, so
the function's settings and its role cannot depend on the bucket (CloudFormation would see a cycle).

Each function here is one piece (names, parameters, resources, statements), so a per-function IAM or a KMS
rework can take what it needs.
"""

from __future__ import annotations

from typing import Any

from infra.aws import encryption
from infra.aws.stage import Stage

Json = dict[str, Any]

RAW_PREFIX = "raw/"
INBOUND_RETENTION_DAYS = 30  # the parsed ticket keeps what matters; raw MIME is for re-processing and forensics
ATTACHMENT_VERSION_DAYS = 30  # how long a deleted or replaced attachment can be recovered
INBOUND_BUCKET_ID = "InboundBucket"
ATTACHMENTS_BUCKET_ID = "AttachmentsBucket"
RULE_SET_ID = "InboundReceiptRuleSet"
RULE_ID = "InboundReceiptRule"
DOMAIN_IDENTITY_ID = "InboundDomainIdentity"
NEEDS_IDENTITY = "InboundDomainIsNotTheSendingDomain"


# --- names ---


def inbound_bucket_name(stage: Stage) -> Json:
    return {"Fn::Sub": f"{stage.resource_prefix}-inbound-${{AWS::AccountId}}-${{AWS::Region}}"}


def attachments_bucket_name(stage: Stage) -> Json:
    return {"Fn::Sub": f"{stage.resource_prefix}-attachments-${{AWS::AccountId}}-${{AWS::Region}}"}


def rule_set_name(stage: Stage) -> str:
    return f"{stage.resource_prefix}-inbound"


def rule_name(stage: Stage) -> str:
    return f"{stage.resource_prefix}-store-raw"


def _bucket_arn(name: Json, path: str = "") -> Json:
    return {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${Bucket}" + path, {"Bucket": name}]}


# --- what the deployer sets, and what the functions read ---


def parameters() -> Json:
    return {
        "InboundDomain": {
            "Type": "String",
            "AllowedPattern": r"^[a-z0-9.-]+\.[a-z]{2,}$",
            "Description": "Domain that receives email (e.g. in.example.com): point its MX at the InboundMxRecord "
            "output. Workspaces get <slug>@ this domain; replies come back to reply+...@ it.",
        }
    }


def conditions() -> Json:
    """The sending domain's identity already verifies it for receiving; a separate inbound domain needs its own."""
    return {NEEDS_IDENTITY: {"Fn::Not": [{"Fn::Equals": [{"Ref": "InboundDomain"}, {"Ref": "EmailDomain"}]}]}}


def environment(stage: Stage) -> Json:
    return {
        "PULSEDESK_INBOUND_DOMAIN": {"Ref": "InboundDomain"},
        "PULSEDESK_INBOUND_BUCKET": inbound_bucket_name(stage),
        "PULSEDESK_ATTACHMENTS_BUCKET": attachments_bucket_name(stage),
    }


def bucket_ids(settings: Any) -> dict[str, str]:
    """The app's bucket settings (as imported under the stage) -> the buckets of this template."""
    return {settings.inbound_bucket: INBOUND_BUCKET_ID, settings.attachments_bucket: ATTACHMENTS_BUCKET_ID}


# --- resources ---


def resources(stage: Stage) -> Json:
    return {
        INBOUND_BUCKET_ID: inbound_bucket(stage),
        "InboundBucketPolicy": inbound_bucket_policy(stage),
        ATTACHMENTS_BUCKET_ID: attachments_bucket(stage),
        "AttachmentsBucketPolicy": _bucket_policy(ATTACHMENTS_BUCKET_ID, attachments_bucket_name(stage), []),
        RULE_SET_ID: {"Type": "AWS::SES::ReceiptRuleSet", "Properties": {"RuleSetName": rule_set_name(stage)}},
        RULE_ID: receipt_rule(stage),
        DOMAIN_IDENTITY_ID: {
            "Type": "AWS::SES::EmailIdentity",
            "Condition": NEEDS_IDENTITY,
            "Properties": {"EmailIdentity": {"Ref": "InboundDomain"}},
        },
    }


def _private_bucket(name: Json) -> Json:
    return {
        "BucketName": name,
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                # the stage key (SES may use it to store raw mail: see encryption.py's key policy)
                {
                    "ServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": encryption.key_arn(),
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        # an overwritten or deleted object stays recoverable for a while (a bug, a wrong delete)
        "VersioningConfiguration": {"Status": "Enabled"},
    }


def inbound_bucket(stage: Stage) -> Json:
    properties = _private_bucket(inbound_bucket_name(stage))
    properties["LifecycleConfiguration"] = {
        "Rules": [
            {
                "Id": "ExpireRawMessages",
                "Status": "Enabled",
                "Prefix": RAW_PREFIX,
                "ExpirationInDays": INBOUND_RETENTION_DAYS,
                "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
            }
        ]
    }
    return _retained_bucket(properties)


def attachments_bucket(stage: Stage) -> Json:
    """Private; agents download through presigned GETs (a navigation) and upload reply attachments with
    presigned POSTs from the app's pages, which is what the CORS rule allows (and nothing else)."""
    properties = _private_bucket(attachments_bucket_name(stage))
    properties["CorsConfiguration"] = {
        "CorsRules": [
            {
                "Id": "ReplyUploads",
                "AllowedMethods": ["POST"],
                "AllowedOrigins": [{"Ref": "PublicBaseUrl"}],
                "AllowedHeaders": ["*"],
                "MaxAge": 3600,
            }
        ]
    }
    properties["LifecycleConfiguration"] = {
        "Rules": [
            {
                "Id": "ExpireReplacedVersions",
                "Status": "Enabled",
                "NoncurrentVersionExpiration": {"NoncurrentDays": ATTACHMENT_VERSION_DAYS},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
            }
        ]
    }
    return _retained_bucket(properties)


def _retained_bucket(properties: Json) -> Json:
    """Mail and attachments hold customers' personal data: kept (raw mail until it expires) if the stack goes."""
    retained = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    return {"Type": "AWS::S3::Bucket", **retained, "Properties": properties}


def inbound_bucket_policy(stage: Stage) -> Json:
    """SES may put objects under raw/, only for this account's receipt rule (the confused-deputy guard)."""
    ses_put = {
        "Sid": "SesStoresReceivedMail",
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": _bucket_arn(inbound_bucket_name(stage), f"/{RAW_PREFIX}*"),
        "Condition": {
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            "ArnLike": {"aws:SourceArn": receipt_rule_arn(stage)},
        },
    }
    return _bucket_policy(INBOUND_BUCKET_ID, inbound_bucket_name(stage), [ses_put])


def _bucket_policy(bucket_id: str, name: Json, statements: list[Json]) -> Json:
    deny_plain_http = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [_bucket_arn(name), _bucket_arn(name, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": bucket_id},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [*statements, deny_plain_http]},
        },
    }


def receipt_rule_arn(stage: Stage) -> Json:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
        f"receipt-rule-set/{rule_set_name(stage)}:receipt-rule/{rule_name(stage)}"
    }


def receipt_rule(stage: Stage) -> Json:
    """Every message for an address at the domain (not its subdomains): scanned for spam and viruses, stored raw.

    SES checks at creation that it may write to the bucket, hence the dependency on the bucket policy.
    """
    return {
        "Type": "AWS::SES::ReceiptRule",
        "DependsOn": ["InboundBucketPolicy"],
        "Properties": {
            "RuleSetName": {"Ref": RULE_SET_ID},
            "Rule": {
                "Name": rule_name(stage),
                "Enabled": True,
                "ScanEnabled": True,
                "TlsPolicy": "Optional",
                "Recipients": [{"Ref": "InboundDomain"}],
                "Actions": [{"S3Action": {"BucketName": {"Ref": INBOUND_BUCKET_ID}, "ObjectKeyPrefix": RAW_PREFIX}}],
            },
        },
    }


# --- what the functions may do ---


def api_statements(stage: Stage) -> list[Json]:
    """The REST API presigns attachment downloads and reply uploads (POST), which S3 authorises as the
    signer, and looks at an upload (HEAD needs GetObject) before a reply takes it."""
    return [
        _allow("AttachmentsRead", ["s3:GetObject"], [_bucket_arn(attachments_bucket_name(stage), "/*")]),
        _allow("AttachmentsUpload", ["s3:PutObject"], [_bucket_arn(attachments_bucket_name(stage), "/*")]),
    ]


def sender_statements(stage: Stage) -> list[Json]:
    """The notifications function puts a reply's attachments into the email it sends."""
    return [_allow("AttachmentsRead", ["s3:GetObject"], [_bucket_arn(attachments_bucket_name(stage), "/*")])]


def receiver_statements(stage: Stage) -> list[Json]:
    """The S3-triggered function reads the raw messages and stores their attachments."""
    return [
        _allow("InboundMailRead", ["s3:GetObject"], [_bucket_arn(inbound_bucket_name(stage), f"/{RAW_PREFIX}*")]),
        _allow("AttachmentsWrite", ["s3:PutObject"], [_bucket_arn(attachments_bucket_name(stage), "/*")]),
    ]


def _allow(sid: str, actions: list[str], resources: list[Json]) -> Json:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


# --- what the deployer reads back ---


def outputs() -> Json:
    return {
        "InboundMxRecord": {
            "Description": "Publish as the inbound domain's MX record",
            "Value": {"Fn::Sub": "${InboundDomain} MX 10 inbound-smtp.${AWS::Region}.amazonaws.com"},
        },
        "InboundReceiptRuleSetName": {
            "Description": "Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>",
            "Value": {"Ref": RULE_SET_ID},
        },
    }
