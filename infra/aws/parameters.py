"""What the deployer sets: template parameters, and the environment variables resolved from them.

The JWT key pair and the cursor secret live in one Secrets Manager secret that ``infra.aws.secrets`` creates
once per stage (CloudFormation cannot make an Ed25519 key pair). The public keys and the cursor secret reach the
functions as environment variables resolved with dynamic references pinned to the secret's version id (a new
version, a key rotation, changes the template, so CloudFormation updates the functions). The private key and
its kid never do, nor the Slack app's client secret: the one function that signs tokens and adds Slack apps
reads them from that same version at run time (``chalicelib/data/stage_secret.py``).
"""

from __future__ import annotations

from typing import Any

from infra.aws.stage import Stage

Json = dict[str, Any]

# Environment variable -> key in the secret's JSON. Not the private key: the signing function reads that
# from Secrets Manager at run time (``signing_variables``), so no function configuration ever holds it.
SECRET_VARIABLES = {
    "PULSEDESK_JWT_PUBLIC_KEYS": "jwt_public_keys",
    "PULSEDESK_CURSOR_SECRET": "cursor_secret",
}


def secret_name(stage: Stage) -> str:
    return f"{stage.app_name}/{stage.name}/app"


def parameters(stage: Stage) -> Json:
    return {
        "PublicBaseUrl": {
            "Type": "String",
            "AllowedPattern": "^https://[^/]+$",
            "Description": "Origin people open (links in emails): https://your.domain, or the FrontendUrl output.",
        },
        "EmailDomain": {
            "Type": "String",
            "AllowedPattern": r"^[a-z0-9.-]+\.[a-z]{2,}$",
            "Description": "Domain SES sends from; publish the DKIM records from the outputs.",
        },
        "EmailSender": {
            "Type": "String",
            "AllowedPattern": r"^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$",
            "Description": "From address of notification emails, at EmailDomain.",
        },
        "AppSecretName": {
            "Type": "String",
            "Default": secret_name(stage),
            "Description": "Secrets Manager secret made by `python -m infra.aws.secrets` (JWT keys, cursor secret).",
        },
        "CertificateArn": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$",
            "Description": "ACM certificate in us-east-1 for DomainAliases (empty: CloudFront's own domain).",
        },
        "DomainAliases": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^[a-z0-9.-]+(,[a-z0-9.-]+)*$",
            "Description": "Comma-separated host names people open (help.example.com); needs CertificateArn.",
        },
        "SlackClientId": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^[0-9]+\.[0-9]+$",
            "Description": "Client ID of your Slack app, for 'Add to Slack' (empty: admins paste a bot token). "
            "Its client secret goes in the app secret: `python -m infra.aws.secrets --slack-client-secret`.",
        },
        "AppSecretVersion": {
            "Type": "String",
            "AllowedPattern": "^[0-9a-fA-F-]{32,64}$",
            "Description": "VersionId of that secret to deploy (printed by `python -m infra.aws.secrets`).",
        },
    }


def conditions() -> Json:
    return {"HasCertificate": {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]}}


def secret_arn() -> Json:
    """The secret's ARN by name (Secrets Manager appends six random characters)."""
    return {
        "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:"
        "secret:${AppSecretName}-??????"
    }


def parameter_variables() -> Json:
    variables: Json = {
        "PULSEDESK_PUBLIC_BASE_URL": {"Ref": "PublicBaseUrl"},
        "PULSEDESK_EMAIL_SENDER": {"Ref": "EmailSender"},
        "PULSEDESK_EMAIL_CONFIGURATION_SET": {"Ref": "EmailConfigurationSet"},
        "PULSEDESK_SLACK_CLIENT_ID": {"Ref": "SlackClientId"},
    }
    for variable, key in SECRET_VARIABLES.items():
        variables[variable] = {
            "Fn::Sub": f"{{{{resolve:secretsmanager:${{AppSecretName}}:SecretString:{key}::${{AppSecretVersion}}}}}}"
        }
    return variables


def signing_variables() -> Json:
    """Where the signing function finds the key pair's private half and its kid: the deployed version."""
    return {
        "PULSEDESK_JWT_SIGNING_SECRET": {"Ref": "AppSecretName"},
        "PULSEDESK_JWT_SIGNING_SECRET_VERSION": {"Ref": "AppSecretVersion"},
    }


def email_identity() -> Json:
    return {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": {"Ref": "EmailDomain"}}}
