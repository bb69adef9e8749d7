"""Everything a deploy does short of calling AWS: build, cfn-lint, checkov, the size rule, the IAM summary.

    python -m infra.aws.deploy_check --stage prod --out infra/aws/build/prod [--checkov .local/checkov/bin/checkov]

Exits non-zero on a lint error or an unskipped checkov finding, and prints what it checked.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra.aws.build import build
from infra.aws.deploy import TEMPLATE_BODY_LIMIT

Json = dict[str, Any]
LINT_REGIONS = ["us-east-1", "eu-west-1"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--checkov", help="the checkov executable (make deploy-check installs one in .local)")
    parser.add_argument("--no-build", action="store_true", help="check the template already in --out")
    args = parser.parse_args(argv)
    template_path = args.out / "sam.json" if args.no_build else build(args.stage, args.out)
    template = json.loads(template_path.read_text())
    failed = False

    size = template_path.stat().st_size
    print(f"template: {template_path} {size:,} bytes, {len(template['Resources'])} resources")
    print(f"  over the {TEMPLATE_BODY_LIMIT:,}-byte inline limit: deploy goes through the artifact bucket")

    problems = lint(template_path)
    print(f"cfn-lint: {len(problems)} finding(s)")
    for problem in problems:
        print(f"  {problem}")
    failed |= bool(problems)

    if args.checkov:
        passed, findings, skipped = checkov(Path(args.checkov), template_path)
        print(f"checkov: {passed} passed, {len(findings)} failed, {len(skipped)} skipped with a reason")
        for skip in skipped:
            print(f"  skipped {skip} (reason in the template's Metadata, infra/aws/checkov_skips.py)")
        for finding in findings:
            print(f"  FAILED {finding}")
        failed |= bool(findings)

    print("IAM, per function (role: statement -> actions on resources):")
    for line in iam_summary(template):
        print(f"  {line}")
    return 1 if failed else 0


def lint(template_path: Path) -> list[str]:
    from cfnlint.api import lint as cfn_lint

    return [str(match) for match in cfn_lint(template_path.read_text(), regions=LINT_REGIONS)]


def checkov(executable: Path, template_path: Path) -> tuple[int, list[str], list[str]]:
    """(passed count, failed checks, skipped checks) of checkov's CloudFormation checks over the template."""
    command = [
        str(executable),
        "--file",
        str(template_path),
        "--framework",
        "cloudformation",
        "--output",
        "json",
        "--compact",
        "--skip-download",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise RuntimeError(f"checkov did not run ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    reports = report if isinstance(report, list) else [report]
    passed, failed, skipped = 0, [], []
    for one in reports:
        results = one.get("results", {})
        passed += len(results.get("passed_checks", []))
        failed += [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in results.get("failed_checks", [])]
        skipped += [f"{c['check_id']} {c['resource']}" for c in results.get("skipped_checks", [])]
        if "summary" in one and not results:  # checkov answers a bare summary when nothing matched
            passed += int(one["summary"].get("passed", 0))
    return passed, failed, skipped


def iam_summary(template: Json) -> list[str]:
    resources = template["Resources"]
    lines = []
    for function, resource in sorted(resources.items()):
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        role = resource["Properties"]["Role"]["Fn::GetAtt"][0]
        lines.append(f"{function} ({role}):")
        for policy in resources[role]["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                targets = ", ".join(_short(r) for r in statement["Resource"])
                lines.append(f"    {statement['Sid']}: {', '.join(actions)} -> {targets}")
    return lines


def _short(resource: Any) -> str:
    if isinstance(resource, str):
        return resource
    if "Fn::GetAtt" in resource:
        return ".".join(resource["Fn::GetAtt"])
    if "Ref" in resource:
        return str(resource["Ref"])
    text = resource.get("Fn::Sub", "")
    text = text[0] if isinstance(text, list) else text
    return str(text).replace("arn:${AWS::Partition}:", "").replace("${AWS::Region}:${AWS::AccountId}:", "")


if __name__ == "__main__":
    sys.exit(main())
