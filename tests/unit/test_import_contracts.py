"""The layering (api/workers -> services -> data -> domain) and the absence of import cycles.

The contracts live in pyproject.toml (``[tool.importlinter]``); ``lint-imports`` checks them, imports
inside functions included. The last two tests prove the contracts bite: a copy of chalicelib with a
cycle or an upward import put back is refused.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_chalicelib_keeps_its_layers_and_has_no_import_cycle() -> None:
    done = lint_imports(PROJECT_DIR)

    assert done.returncode == 0, (
        "An import breaks the layering (api/workers -> services -> data -> domain) or closes a cycle. "
        "Move the code to the layer it belongs to, or pass what it needs in as a parameter, rather "
        "than importing upwards or inside a function:\n" + done.stdout + done.stderr
    )


@pytest.fixture
def copy_of_project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_DIR / "chalicelib", tmp_path / "chalicelib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def append(module: Path, code: str) -> None:
    module.write_text(module.read_text() + code)


def test_a_cycle_hidden_inside_a_function_is_refused(copy_of_project: Path) -> None:
    # GIVEN the route module the registry lists imports the registry back, inside a function
    hidden = "\n\ndef _all():\n    from chalicelib.api import registry\n"
    append(copy_of_project / "chalicelib/api/meta_routes.py", hidden)

    # WHEN the contracts are checked
    done = lint_imports(copy_of_project)

    # THEN the cycle is named
    assert done.returncode != 0
    assert "No import cycles" in done.stdout and "BROKEN" in done.stdout
    assert "meta_routes" in done.stdout


def test_an_upward_import_is_refused(copy_of_project: Path) -> None:
    # GIVEN a domain module that reaches into the data layer
    append(copy_of_project / "chalicelib/domain/sla.py", "\n\nfrom chalicelib.data import models  # noqa\n")

    done = lint_imports(copy_of_project)

    assert done.returncode != 0
    assert "Layers import downwards only" in done.stdout and "BROKEN" in done.stdout
    assert "chalicelib.domain.sla -> chalicelib.data.models" in done.stdout
