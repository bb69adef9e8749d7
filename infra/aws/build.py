"""Build the deployable CloudFormation (SAM) template of one stage.

    python -m infra.aws.build --stage prod --out infra/aws/build/

1. ``chalice package`` the app as is, to learn what Chalice generates (functions, event sources, roles, APIs);
2. generate the merge template from that and from the PynamoDB models (``infra.aws.merge``);
3. ``chalice package --merge-template`` again: ``<out>/sam.json`` + ``<out>/deployment.zip``;
4. compile the package's bytecode into it (``infra.aws.bytecode``: a cold start then compiles nothing).

Both passes run Chalice's own CLI in this process, after the app was imported under the stage's environment.
Chalice resolves ``requirements.txt`` with pip (PyPI, or a wheelhouse: ``--wheelhouse DIR``) and caches the
result in ``.chalice/deployments/``, so the second pass and later builds do not download again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from infra.aws import inbound
from infra.aws.bytecode import add_bytecode
from infra.aws.merge import build_merge_template
from infra.aws.s3_events import package_s3_events
from infra.aws.stage import PROJECT_DIR, Stage, load_stage

DEFAULT_REGION = "us-east-1"  # only for packaging: the template itself uses ${AWS::Region}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    started = time.monotonic()
    template = build(args.stage, Path(args.out), args.wheelhouse)
    resources = json.loads(template.read_text())["Resources"]
    print(f"{template} ({len(resources)} resources) in {time.monotonic() - started:.1f} s")
    return 0


def build(stage_name: str, out: Path, wheelhouse: str | None = None) -> Path:
    stage = load_stage(stage_name)
    _prepare_environment(wheelhouse)
    _opt_in_experimental_features(stage)
    package_s3_events(inbound.bucket_ids(_settings(stage)))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chalice-base-") as scratch:
        base = _package(stage, Path(scratch) / "base")
    merge_path = out / "merge-template.json"
    merge_path.write_text(json.dumps(build_merge_template(base, stage), indent=2, sort_keys=True) + "\n")
    _check_intrinsics(_package(stage, out, merge_path))
    add_bytecode(out / "deployment.zip")
    return out / "sam.json"


def _settings(stage: Stage) -> Any:
    stage.app  # noqa: B018 - importing the app applies the stage environment first
    from chalicelib.settings import get_settings

    return get_settings()


def _check_intrinsics(node: Any, path: str = "") -> None:
    """A deep merge of two different intrinsics leaves both keys in one object: fail loudly, not at deploy."""
    if isinstance(node, dict):
        functions = [key for key in node if key == "Ref" or key.startswith("Fn::")]
        if functions and len(node) > 1:
            raise ValueError(f"merge produced an invalid intrinsic at {path}: {sorted(node)}")
        for key, value in node.items():
            _check_intrinsics(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_intrinsics(value, f"{path}/{index}")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="prod", help="Chalice stage in .chalice/config.json")
    parser.add_argument("--out", default="infra/aws/build", help="output directory (sam.json, deployment.zip)")
    parser.add_argument("--wheelhouse", help="resolve requirements.txt from this directory only (offline)")
    return parser.parse_args(argv)


def _prepare_environment(wheelhouse: str | None) -> None:
    os.environ.setdefault("AWS_DEFAULT_REGION", DEFAULT_REGION)
    if wheelhouse:
        os.environ["PIP_NO_INDEX"] = "1"
        os.environ["PIP_FIND_LINKS"] = str(Path(wheelhouse).resolve())


def _opt_in_experimental_features(stage: Stage) -> None:
    """Chalice refuses to package websocket handlers unless app.py opts in; say so, then package anyway."""
    missing = set(getattr(stage.app, "_features_used", set())) - set(stage.app.experimental_feature_flags)
    if missing:
        print(
            f"warning: app.py uses experimental Chalice features without opting in: {sorted(missing)}; add "
            f"app.experimental_feature_flags.update({sorted(missing)!r}) to app.py (opted in for packaging only)",
            file=sys.stderr,
        )
        stage.app.experimental_feature_flags.update(missing)


def _package(stage: Stage, out: Path, merge_template: Path | None = None) -> Any:
    from chalice.cli import cli

    args = ["--project-dir", str(PROJECT_DIR), "package", "--stage", stage.name]
    if merge_template is not None:
        args += ["--merge-template", str(merge_template)]
    cli.main(args=[*args, str(out)], obj={}, standalone_mode=False)
    return json.loads((out / "sam.json").read_text())


if __name__ == "__main__":
    sys.exit(main())
