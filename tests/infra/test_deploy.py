"""The deploy script end to end against a stub ``aws`` that records its arguments and plays a fresh account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.aws.deploy import TEMPLATE_BODY_LIMIT

PROJECT_DIR = Path(__file__).resolve().parents[2]

# A fresh account: no secret until created; the stack's outputs once deployed. Each call is one JSON line.
STUB = r"""#!/usr/bin/env python3
import json, os, shutil, sys
args = sys.argv[1:]
log = os.environ["AWS_STUB_LOG"]
with open(log, "a") as out:
    out.write(json.dumps(args) + "\n")
state = os.path.join(os.path.dirname(log), "secret.json")
def opt(name):
    return args[args.index(name) + 1]
if args[:2] == ["secretsmanager", "get-secret-value"]:
    if not os.path.exists(state):
        sys.stderr.write("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation\n")
        sys.exit(254)
    print(open(state).read())
elif args[:2] == ["secretsmanager", "create-secret"]:
    value = open(opt("--secret-string").removeprefix("file://")).read()
    json.dump({"VersionId": "0123456789abcdef0123456789abcdef", "SecretString": value}, open(state, "w"))
    print(json.dumps({"VersionId": "0123456789abcdef0123456789abcdef", "Name": opt("--name")}))
elif args[:2] == ["cloudformation", "package"]:
    shutil.copy(opt("--template-file"), opt("--output-template-file"))
elif args[:2] == ["cloudformation", "describe-stacks"]:
    outputs = {"FrontendUrl": "https://d111.cloudfront.net", "FrontendBucketName": "pulsedesk-prod-frontend",
               "DistributionId": "E2EXAMPLE", "InboundReceiptRuleSetName": "pulsedesk-prod-inbound"}
    print(json.dumps({"Stacks": [{"Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]}]}))
elif args[:2] == ["cloudfront", "create-invalidation"]:
    print(json.dumps({"Invalidation": {"Id": "I1"}}))
"""


@pytest.fixture
def stub_aws(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "aws"
    stub.write_text(STUB)
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "AWS_STUB_LOG": str(tmp_path / "calls")}
    return env


def _deploy(env: dict[str, str], build_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "infra.aws.deploy", "--stage", "prod", "--build-dir", str(build_dir), *extra]
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)


def _calls(env: dict[str, str]) -> list[list[str]]:
    path = Path(env["AWS_STUB_LOG"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _option(call: list[str], name: str) -> str:
    return call[call.index(name) + 1]


def test_deploy_runs_secret_package_stack_frontend_and_invalidation(
    stub_aws: dict[str, str], build_dir: Path, tmp_path: Path
) -> None:
    # GIVEN a built stage and a fresh account WHEN deploying with an artifact bucket
    frontend = tmp_path / "dist"
    frontend.mkdir()
    (frontend / "index.html").write_text("<!doctype html>")
    (frontend / "assets").mkdir()
    (frontend / "assets" / "index-3f9a1c.js").write_text("export {}")
    done = _deploy(
        stub_aws,
        build_dir,
        "--bucket",
        "artifacts",
        "--frontend",
        str(frontend),
        "--region",
        "eu-west-1",
        "--parameter",
        "EmailDomain=example.com",
        "--parameter",
        "CertificateArn=",
    )
    assert done.returncode == 0, done.stderr
    calls = _calls(stub_aws)
    steps = [call[:2] for call in calls]
    # THEN the secret is created once, then the stack is packaged and deployed through the bucket
    assert steps == [
        ["secretsmanager", "get-secret-value"],
        ["secretsmanager", "create-secret"],
        ["cloudformation", "package"],
        ["cloudformation", "deploy"],
        ["cloudformation", "describe-stacks"],
        ["s3", "sync"],
        ["s3", "sync"],
        ["cloudfront", "create-invalidation"],
        ["ses", "set-active-receipt-rule-set"],
    ]
    assert all(_option(call, "--region") == "eu-west-1" for call in calls)
    create = calls[1]
    assert _option(create, "--name") == "pulsedesk/prod/app"
    assert _option(create, "--secret-string").startswith("file://"), "a secret never goes on the command line"
    assert "PRIVATE KEY" not in json.dumps(calls)
    package, deploy = calls[2], calls[3]
    assert _option(package, "--s3-bucket") == "artifacts"
    assert _option(deploy, "--s3-bucket") == "artifacts"  # the template itself is over the inline limit
    assert _option(deploy, "--template-file") == _option(package, "--output-template-file")
    overrides = deploy[deploy.index("--parameter-overrides") + 1 :]
    assert "AppSecretVersion=0123456789abcdef0123456789abcdef" in overrides
    assert "EmailDomain=example.com" in overrides
    assert not any(item.startswith("CertificateArn") for item in overrides), "an empty value keeps the stack's"
    # AND the hashed assets go first, cached for a year; the rest (index.html) after them, revalidated each load,
    # and the old hashed assets are not deleted (a page loaded before the deploy still fetches its chunks)
    assets, pages = calls[5], calls[6]
    assert assets[2:4] == [str(frontend / "assets"), "s3://pulsedesk-prod-frontend/assets"]
    assert _option(assets, "--cache-control") == "public, max-age=31536000, immutable"
    assert "--delete" not in assets
    assert pages[2:4] == [str(frontend), "s3://pulsedesk-prod-frontend"]
    assert _option(pages, "--cache-control") == "no-cache"
    assert "--delete" in pages and "assets/*" in pages
    assert _option(calls[7], "--distribution-id") == "E2EXAMPLE"
    assert done.stdout.strip().endswith("https://d111.cloudfront.net")

    # AND a second deploy finds the secret and does not create another
    again = _deploy(stub_aws, build_dir, "--bucket", "artifacts")
    assert again.returncode == 0, again.stderr
    later = [call[:2] for call in _calls(stub_aws)[len(calls) :]]
    assert ["secretsmanager", "create-secret"] not in later


def test_an_oversized_template_without_a_bucket_is_refused_before_any_call(
    stub_aws: dict[str, str], build_dir: Path
) -> None:
    size = (build_dir / "sam.json").stat().st_size
    assert size > TEMPLATE_BODY_LIMIT
    done = _deploy(stub_aws, build_dir)
    assert done.returncode == 1
    assert f"{size:,} bytes" in done.stderr and "ARTIFACT_BUCKET" in done.stderr
    assert _calls(stub_aws) == []


def test_deploy_check_prints_size_lint_and_iam(build_dir: Path) -> None:
    command = [sys.executable, "-m", "infra.aws.deploy_check", "--out", str(build_dir), "--no-build"]
    done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bytes" in done.stdout and "cfn-lint: 0 finding(s)" in done.stdout
    assert "APIHandler (" in done.stdout


CHECKOV = PROJECT_DIR / ".local" / "checkov" / "bin" / "checkov"


@pytest.mark.skipif(not CHECKOV.exists(), reason="make deploy-check installs checkov into .local/checkov")
def test_checkov_finds_nothing_unskipped_and_every_skip_has_a_reason(
    build_dir: Path, template: dict[str, object]
) -> None:
    from infra.aws.deploy_check import checkov

    passed, failed, skipped = checkov(CHECKOV, build_dir / "sam.json")
    assert failed == []
    assert passed > 100 and skipped
    for resource in template["Resources"].values():  # type: ignore[attr-defined]
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert len(skip["comment"]) > 40, skip
