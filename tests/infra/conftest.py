"""Infra tests: the production template, built once per session by the real build command (offline but for PyPI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
STAGE = "prod"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("aws-build")
    command = [sys.executable, "-m", "infra.aws.build", "--stage", STAGE, "--out", str(out)]
    done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="session")
def template(build_dir: Path) -> dict[str, Any]:
    return dict(json.loads((build_dir / "sam.json").read_text()))


@pytest.fixture(scope="session")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return dict(template["Resources"])
