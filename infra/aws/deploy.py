"""Deploy one built stage with the AWS CLI: secret, package, stack, frontend, invalidation, URL.

    python -m infra.aws.deploy --stage prod --build-dir infra/aws/build/prod --bucket my-artifacts \
        [--parameter EmailDomain=example.com ...] [--frontend frontend/dist]

Every AWS call is an ``aws`` command (nothing here talks to AWS itself), so the whole sequence runs against a
stub ``aws`` on PATH in the tests. CloudFormation takes a template body of at most 51,200 bytes; ours is far
larger, so the template goes through the artifact bucket and a deploy without one is refused before any call.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.aws.parameters import secret_name
from infra.aws.secrets import ensure_secret
from infra.aws.stage import load_stage
from infra.security_headers import HASHED_ASSETS_DIR, IMMUTABLE, NO_CACHE

TEMPLATE_BODY_LIMIT = 51_200  # bytes: CloudFormation's limit for a template passed inline
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


class DeployError(RuntimeError):
    pass


@dataclass
class Aws:
    """The AWS CLI, JSON out. ``command`` is found on PATH (a stub in the tests)."""

    region: str
    command: str = "aws"
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def __call__(self, *args: str, output: bool = True) -> Any:
        argv = [self.command, *args, "--region", self.region]
        if output:
            argv += ["--output", "json"]
        done = subprocess.run(argv, capture_output=True, text=True, env=self.env, check=False)
        if done.returncode != 0:
            raise AwsCommandFailed(args, done.returncode, done.stderr.strip())
        return json.loads(done.stdout) if output and done.stdout.strip() else None


class AwsCommandFailed(DeployError):
    def __init__(self, args: tuple[str, ...], code: int, stderr: str) -> None:
        super().__init__(f"aws {' '.join(args[:2])} failed ({code}): {stderr}")
        self.stderr = stderr


class CliSecrets:
    """The three Secrets Manager calls ``ensure_secret`` makes, through the CLI. Secret values go through a
    private temporary file, never the command line (which other users of the machine can read)."""

    class exceptions:
        ResourceNotFoundException = AwsCommandFailed

    def __init__(self, aws: Aws) -> None:
        self.aws = aws

    def get_secret_value(self, SecretId: str) -> dict[str, Any]:
        try:
            return dict(self.aws("secretsmanager", "get-secret-value", "--secret-id", SecretId))
        except AwsCommandFailed as exc:
            if "ResourceNotFoundException" in exc.stderr:
                raise
            raise DeployError(str(exc)) from exc

    def create_secret(self, Name: str, Description: str, SecretString: str) -> dict[str, Any]:
        with _secret_file(SecretString) as path:
            return dict(
                self.aws(
                    "secretsmanager",
                    "create-secret",
                    "--name",
                    Name,
                    "--description",
                    Description,
                    "--secret-string",
                    f"file://{path}",
                )
            )

    def put_secret_value(self, SecretId: str, SecretString: str) -> dict[str, Any]:
        with _secret_file(SecretString) as path:
            return dict(
                self.aws(
                    "secretsmanager", "put-secret-value", "--secret-id", SecretId, "--secret-string", f"file://{path}"
                )
            )


@contextmanager
def _secret_file(text: str) -> Iterator[str]:
    handle, path = tempfile.mkstemp(prefix="pulsedesk-secret-")  # 0600
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        yield path
    finally:
        os.unlink(path)


@dataclass(frozen=True)
class DeployPlan:
    stage: str
    stack_name: str
    build_dir: Path
    bucket: str | None
    parameters: dict[str, str]
    frontend: Path | None


def deploy(plan: DeployPlan, aws: Aws) -> str:
    """Runs the deploy; returns the URL people open."""
    template = plan.build_dir / "sam.json"
    if not template.exists():
        raise DeployError(f"{template} is missing: run `make deploy-check STAGE={plan.stage}` first")
    size = template.stat().st_size
    if plan.bucket is None:
        # ``package`` and ``deploy`` would both need it: say so before any AWS call is made.
        raise DeployError(
            f"{template} is {size:,} bytes; CloudFormation takes at most {TEMPLATE_BODY_LIMIT:,} inline and the "
            "Lambda package needs a bucket too: pass ARTIFACT_BUCKET=<an S3 bucket in the region>"
        )
    prefix = plan.stack_name
    secret_version = ensure_secret(CliSecrets(aws), secret_name(load_stage(plan.stage)), plan.stage)
    packaged = plan.build_dir / "packaged.yaml"
    aws(
        "cloudformation",
        "package",
        "--template-file",
        str(template),
        "--s3-bucket",
        plan.bucket,
        "--s3-prefix",
        prefix,
        "--output-template-file",
        str(packaged),
        output=False,
    )
    overrides = {**plan.parameters, "AppSecretVersion": secret_version}
    aws(
        "cloudformation",
        "deploy",
        "--stack-name",
        plan.stack_name,
        "--template-file",
        str(packaged),
        "--s3-bucket",
        plan.bucket,
        "--s3-prefix",
        prefix,
        "--capabilities",
        *CAPABILITIES,
        "--no-fail-on-empty-changeset",
        "--parameter-overrides",
        *[f"{key}={value}" for key, value in sorted(overrides.items())],
        output=False,
    )
    outputs = stack_outputs(aws, plan.stack_name)
    if plan.frontend is not None:
        bucket = f"s3://{outputs['FrontendBucketName']}"
        # Hashed assets first, kept a year by browsers and CloudFront, and never deleted here: a page loaded
        # before this deploy still fetches its own chunks. Then the files that name the build, revalidated on
        # every load, so the new index.html only appears once everything it points at is there.
        if (plan.frontend / HASHED_ASSETS_DIR).is_dir():
            aws(
                "s3",
                "sync",
                str(plan.frontend / HASHED_ASSETS_DIR),
                f"{bucket}/{HASHED_ASSETS_DIR}",
                "--cache-control",
                IMMUTABLE,
                output=False,
            )
        aws(
            "s3",
            "sync",
            str(plan.frontend),
            bucket,
            "--delete",
            "--exclude",
            ".built",
            "--exclude",
            f"{HASHED_ASSETS_DIR}/*",
            "--cache-control",
            NO_CACHE,
            output=False,
        )
        aws(
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            outputs["DistributionId"],
            "--paths",
            "/*",
        )
    if outputs.get("InboundReceiptRuleSetName"):
        # CloudFormation makes a receipt rule set but cannot activate it; a region has one active rule set.
        aws(
            "ses",
            "set-active-receipt-rule-set",
            "--rule-set-name",
            outputs["InboundReceiptRuleSetName"],
            output=False,
        )
    return outputs.get("CustomDomainUrl") or outputs["FrontendUrl"]


def stack_outputs(aws: Aws, stack_name: str) -> dict[str, str]:
    answer = aws("cloudformation", "describe-stacks", "--stack-name", stack_name)
    return {item["OutputKey"]: item["OutputValue"] for item in answer["Stacks"][0].get("Outputs", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--stack-name")
    parser.add_argument("--build-dir", required=True, type=Path)
    parser.add_argument("--bucket", help="S3 bucket for the Lambda package and the template")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    parser.add_argument("--parameter", action="append", default=[], help="Key=Value, a stack parameter")
    parser.add_argument("--frontend", type=Path, help="built frontend to upload (frontend/dist)")
    args = parser.parse_args(argv)
    if shutil.which("aws") is None:
        print("the AWS CLI v2 is required (https://aws.amazon.com/cli/)", file=sys.stderr)
        return 2
    parameters = dict(item.split("=", 1) for item in args.parameter if item.split("=", 1)[1:] != [""])
    plan = DeployPlan(
        stage=args.stage,
        stack_name=args.stack_name or f"pulsedesk-{args.stage}",
        build_dir=args.build_dir,
        bucket=args.bucket or None,
        parameters=parameters,
        frontend=args.frontend,
    )
    try:
        url = deploy(plan, Aws(region=args.region or "us-east-1"))
    except DeployError as exc:
        print(f"deploy refused: {exc}", file=sys.stderr)
        return 1
    print(f"deployed {plan.stack_name}: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
