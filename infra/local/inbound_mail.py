"""The inbound-mail buckets on moto server, and the settings that point the app at them.

In AWS the buckets are infrastructure (the template creates them; SES writes each received message under
``raw/``); locally they are created here, at stack start, and the local SMTP server plays SES's part.
"""

from __future__ import annotations

import os

import boto3

DEFAULT_INBOUND_DOMAIN = "inbound.pulsedesk.localhost"  # the app's own default too
RAW_PREFIX = "raw/"  # where SES's S3 action (and the local SMTP server) writes each message


def inbound_domain() -> str:
    return os.environ.get("PULSEDESK_INBOUND_DOMAIN", DEFAULT_INBOUND_DOMAIN).lower()


def inbound_mail_settings(s3_endpoint: str, region: str) -> dict[str, str]:
    """Creates both buckets (idempotent) and returns the settings naming them and the inbound domain."""
    prefix = os.environ.get("PULSEDESK_TABLE_PREFIX", "pulsedesk-dev-")
    inbound = os.environ.get("PULSEDESK_INBOUND_BUCKET", f"{prefix}inbound")
    attachments = os.environ.get("PULSEDESK_ATTACHMENTS_BUCKET", f"{prefix}attachments")
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=region)
    for bucket in (inbound, attachments):
        s3.create_bucket(Bucket=bucket)  # us-east-1: no location constraint; moto answers 200 when it exists
    domain = inbound_domain()
    return {
        "PULSEDESK_INBOUND_DOMAIN": domain,
        "PULSEDESK_INBOUND_BUCKET": inbound,
        "PULSEDESK_ATTACHMENTS_BUCKET": attachments,
    }
