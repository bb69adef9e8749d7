"""Configuration, read once from the environment into a typed, frozen object.

Production and the local stack run the same code; only these values differ. AWS endpoints are
redirected with botocore's own variables (``AWS_ENDPOINT_URL_DYNAMODB`` ...), never here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.domain.rate_limits import DEFAULT_LIMITS, Limit, parse_limits


@dataclass(frozen=True)
class Settings:
    stage: str
    table_prefix: str
    jwt_private_key: str = field(repr=False)
    jwt_kid: str
    jwt_public_keys: dict[str, str] = field(repr=False)
    # Deployed: no private key in the environment; the signing function reads it (and its kid) from this
    # Secrets Manager secret, pinned to the deployed version. Local stack and tests: the key itself, above.
    jwt_signing_secret: str = ""
    jwt_signing_secret_version: str = ""
    jwt_issuer: str = "pulsedesk"
    jwt_audience: str = "pulsedesk-api"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    cursor_secret: str = field(default="", repr=False)
    argon2_profile: str = "RFC_9106_LOW_MEMORY"
    max_body_bytes: int = 1_000_000
    public_base_url: str = "http://localhost:8000"
    ws_management_endpoint: str = ""
    email_sender: str = "support@pulsedesk.local"
    email_configuration_set: str = ""  # deployed: bounces and complaints go to email_events_topic_name
    email_events_topic_name: str = "pulsedesk-dev-email-events"
    slack_api_url: str = "https://slack.com/api/"
    # "Add to Slack": one Pulsedesk Slack app per deployment (every customer workspace installs the
    # same app), so its OAuth client is a deployment setting. Empty client id: OAuth is off and the
    # token paste is the way. The secret lives in the environment only; it is never stored or returned.
    slack_client_id: str = ""
    slack_client_secret: str = field(default="", repr=False)
    slack_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    webhook_allow_private_targets: bool = False
    webhook_retry_delays_seconds: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 86400)
    notifications_queue_url: str = ""
    notifications_queue_name: str = "pulsedesk-dev-notifications"
    # Lambda's on-failure destination of the stream consumers; its consumer saves the failed records' data
    stream_failures_queue_url: str = ""
    stream_failures_queue_name: str = "pulsedesk-dev-stream-failures"
    webhook_timeout_seconds: float = 5.0
    webhook_disable_after_seconds: int = 5 * 24 * 3600
    log_level: str = "INFO"
    main_stream_arn: str = ""
    access_check_seconds: float = 5.0
    rate_limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    client_ip_header: str = ""  # e.g. CloudFront-Viewer-Address, when only CloudFront can reach the API
    # Deployed: the value CloudFront sends in ORIGIN_VERIFY_HEADER; a request without it went around CloudFront
    # (and its WAF) to the execute-api endpoint and is refused. Empty (local stack, tests): not checked.
    origin_verify: str = field(default="", repr=False)
    signup_token_ttl_seconds: int = 24 * 3600
    password_reset_token_ttl_seconds: int = 3600
    new_workspace_email_budget: int = 50  # emails to outside addresses in a workspace's first day
    new_workspace_window_seconds: int = 24 * 3600
    password_min_score: int = 3  # zxcvbn's 0..4
    # Inbound email: SES (or the local SMTP server) writes raw MIME under ``raw/`` of the inbound bucket.
    inbound_domain: str = "inbound.pulsedesk.localhost"
    inbound_bucket: str = "pulsedesk-dev-inbound"
    attachments_bucket: str = "pulsedesk-dev-attachments"
    inbound_max_attachment_bytes: int = 10 * 1024 * 1024
    inbound_max_message_bytes: int = 25 * 1024 * 1024  # attachments of one message, together
    inbound_max_attachments: int = 50
    attachment_url_ttl_seconds: int = 300
    # Where browsers POST reply attachments; empty: S3's own URL (the local stack proxies it on its front)
    attachments_upload_url: str = ""
    # The customer portal (issue 15): a magic link works once for 15 minutes; a requester token is
    # short-lived and ends at sign-out; a web-form confirmation link waits a day.
    portal_link_ttl_seconds: int = 15 * 60
    requester_token_ttl_seconds: int = 3600
    web_request_ttl_seconds: int = 24 * 3600

    @property
    def reply_token_key(self) -> bytes:
        """The key of the signed reply addresses, derived from the cursor secret (one secret to keep,
        rotate and deploy; the label keeps the two uses apart)."""
        if not self.cursor_secret:
            raise RuntimeError("PULSEDESK_CURSOR_SECRET is not configured")
        return hmac.new(self.cursor_secret.encode(), b"pulsedesk reply address", hashlib.sha256).digest()

    @property
    def survey_token_key(self) -> bytes:
        """The key of the satisfaction-survey links, derived like ``reply_token_key`` under its own label."""
        if not self.cursor_secret:
            raise RuntimeError("PULSEDESK_CURSOR_SECRET is not configured")
        return hmac.new(self.cursor_secret.encode(), b"pulsedesk csat survey", hashlib.sha256).digest()

    @property
    def slack_oauth_state_key(self) -> bytes:
        """The key of "Add to Slack" state values, derived like ``reply_token_key`` under its own label."""
        if not self.cursor_secret:
            raise RuntimeError("PULSEDESK_CURSOR_SECRET is not configured")
        return hmac.new(self.cursor_secret.encode(), b"pulsedesk slack oauth state", hashlib.sha256).digest()


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"missing required setting {name}")
    return value


def _public_keys(private_kid: str) -> dict[str, str]:
    """Verification keys by kid: the current one plus any still-trusted older ones (rotation)."""
    raw = os.environ.get("PULSEDESK_JWT_PUBLIC_KEYS", "")
    keys: dict[str, str] = json.loads(raw) if raw else {}
    current = os.environ.get("PULSEDESK_JWT_PUBLIC_KEY", "")
    if current and private_kid not in keys:
        keys[private_kid] = current
    return keys


def physical_table_name(logical_name: str) -> str:
    """Physical DynamoDB table name; read at model import, so it needs nothing but the prefix."""
    return os.environ.get("PULSEDESK_TABLE_PREFIX", "pulsedesk-dev-") + logical_name


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    kid = _env("PULSEDESK_JWT_KID", "dev-1")
    delays = os.environ.get("PULSEDESK_WEBHOOK_RETRY_DELAYS", "")
    return Settings(
        stage=_env("PULSEDESK_STAGE", "dev"),
        table_prefix=_env("PULSEDESK_TABLE_PREFIX", "pulsedesk-dev-"),
        jwt_private_key=_env("PULSEDESK_JWT_PRIVATE_KEY", ""),
        jwt_kid=kid,
        jwt_public_keys=_public_keys(kid),
        jwt_signing_secret=_env("PULSEDESK_JWT_SIGNING_SECRET", ""),
        jwt_signing_secret_version=_env("PULSEDESK_JWT_SIGNING_SECRET_VERSION", ""),
        jwt_issuer=_env("PULSEDESK_JWT_ISSUER", "pulsedesk"),
        jwt_audience=_env("PULSEDESK_JWT_AUDIENCE", "pulsedesk-api"),
        access_token_ttl_seconds=min(int(_env("PULSEDESK_ACCESS_TOKEN_TTL", "900")), 900),
        cursor_secret=_env("PULSEDESK_CURSOR_SECRET", ""),
        argon2_profile=_env("PULSEDESK_ARGON2_PROFILE", "RFC_9106_LOW_MEMORY"),
        public_base_url=_env("PULSEDESK_PUBLIC_BASE_URL", "http://localhost:8000"),
        ws_management_endpoint=_env("PULSEDESK_WS_MANAGEMENT_ENDPOINT", ""),
        email_sender=_env("PULSEDESK_EMAIL_SENDER", "support@pulsedesk.local"),
        email_configuration_set=_env("PULSEDESK_EMAIL_CONFIGURATION_SET", ""),
        email_events_topic_name=_env("PULSEDESK_EMAIL_EVENTS_TOPIC_NAME", physical_table_name("email-events")),
        slack_api_url=_env("PULSEDESK_SLACK_API_URL", "https://slack.com/api/"),
        slack_client_id=_env("PULSEDESK_SLACK_CLIENT_ID", ""),
        slack_client_secret=_env("PULSEDESK_SLACK_CLIENT_SECRET", ""),
        slack_authorize_url=_env("PULSEDESK_SLACK_AUTHORIZE_URL", "https://slack.com/oauth/v2/authorize"),
        webhook_allow_private_targets=_env("PULSEDESK_WEBHOOK_ALLOW_PRIVATE", "false") == "true",
        webhook_retry_delays_seconds=(
            tuple(int(d) for d in delays.split(",")) if delays else Settings.webhook_retry_delays_seconds
        ),
        notifications_queue_url=_env("PULSEDESK_NOTIFICATIONS_QUEUE_URL", ""),
        notifications_queue_name=_env("PULSEDESK_NOTIFICATIONS_QUEUE_NAME", physical_table_name("notifications")),
        stream_failures_queue_url=_env("PULSEDESK_STREAM_FAILURES_QUEUE_URL", ""),
        stream_failures_queue_name=_env("PULSEDESK_STREAM_FAILURES_QUEUE_NAME", physical_table_name("stream-failures")),
        webhook_timeout_seconds=float(_env("PULSEDESK_WEBHOOK_TIMEOUT_SECONDS", "5")),
        webhook_disable_after_seconds=int(_env("PULSEDESK_WEBHOOK_DISABLE_AFTER_SECONDS", str(5 * 24 * 3600))),
        log_level=_env("PULSEDESK_LOG_LEVEL", "INFO"),
        main_stream_arn=_env("PULSEDESK_MAIN_STREAM_ARN", _placeholder_stream_arn()),
        access_check_seconds=min(float(_env("PULSEDESK_ACCESS_CHECK_SECONDS", "5")), 30.0),
        rate_limits=parse_limits(_env("PULSEDESK_RATE_LIMITS", "")),
        client_ip_header=_env("PULSEDESK_CLIENT_IP_HEADER", "").lower(),
        origin_verify=_env("PULSEDESK_ORIGIN_VERIFY", ""),
        signup_token_ttl_seconds=int(_env("PULSEDESK_SIGNUP_TOKEN_TTL", str(24 * 3600))),
        password_reset_token_ttl_seconds=int(_env("PULSEDESK_PASSWORD_RESET_TOKEN_TTL", "3600")),
        new_workspace_email_budget=int(_env("PULSEDESK_NEW_WORKSPACE_EMAIL_BUDGET", "50")),
        new_workspace_window_seconds=int(_env("PULSEDESK_NEW_WORKSPACE_WINDOW", str(24 * 3600))),
        password_min_score=int(_env("PULSEDESK_PASSWORD_MIN_SCORE", "3")),
        inbound_domain=_env("PULSEDESK_INBOUND_DOMAIN", "inbound.pulsedesk.localhost").lower(),
        inbound_bucket=_env("PULSEDESK_INBOUND_BUCKET", physical_table_name("inbound")),
        attachments_bucket=_env("PULSEDESK_ATTACHMENTS_BUCKET", physical_table_name("attachments")),
        inbound_max_attachment_bytes=int(_env("PULSEDESK_INBOUND_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))),
        inbound_max_message_bytes=int(_env("PULSEDESK_INBOUND_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024))),
        inbound_max_attachments=int(_env("PULSEDESK_INBOUND_MAX_ATTACHMENTS", "50")),
        attachment_url_ttl_seconds=min(int(_env("PULSEDESK_ATTACHMENT_URL_TTL", "300")), 3600),
        attachments_upload_url=_env("PULSEDESK_ATTACHMENTS_UPLOAD_URL", "").rstrip("/"),
    )


def _placeholder_stream_arn() -> str:
    """Deployments override this with the real ARN; the local event runner matches on the table name."""
    return f"arn:aws:dynamodb:us-east-1:000000000000:table/{physical_table_name('main')}/stream/latest"
