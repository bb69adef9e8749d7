"""The Lambda package carries compiled bytecode: a cold start in Lambda's read-only code directory loads every
module from its ``.pyc`` instead of compiling the source (half of a cold start's CPU or more otherwise)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from infra.aws.bytecode import add_bytecode

UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, not checked against the source


def _flags(pyc: bytes) -> int:
    return int.from_bytes(pyc[4:8], "little")


def test_every_source_of_the_built_package_has_unchecked_bytecode_of_the_runtime(build_dir: Path) -> None:
    with zipfile.ZipFile(build_dir / "deployment.zip") as package:
        names = set(package.namelist())
        sources = [name for name in names if name.endswith(".py")]
        missing = [name for name in sources if importlib.util.cache_from_source(name) not in names]
        headers = {package.read(importlib.util.cache_from_source(n))[:8] for n in sources if n not in missing}

    assert sources and missing == []
    assert {(header[:4], _flags(header)) for header in headers} == {(importlib.util.MAGIC_NUMBER, UNCHECKED_HASH)}


def test_a_cold_start_from_the_package_compiles_nothing(build_dir: Path, tmp_path: Path) -> None:
    # GIVEN the package unpacked as Lambda unpacks it, where nothing can be written back
    with zipfile.ZipFile(build_dir / "deployment.zip") as package:
        package.extractall(tmp_path)
    code = (
        "import builtins, json, sys; compiled = []; real = builtins.compile\n"
        "def counting(source, filename, *args, **kwargs):\n"
        "    compiled.append(str(filename)); return real(source, filename, *args, **kwargs)\n"
        "builtins.compile = counting\n"
        "import app; from chalicelib.services import auth, rate_limits, ticket_lists\n"
        f"print(json.dumps([name for name in compiled if name.startswith({str(tmp_path)!r})]))"
    )

    # WHEN a fresh interpreter without site-packages imports the app and a first request's modules from it
    done = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(tmp_path),
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "PULSEDESK_STAGE": "prod",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # THEN it imported (the package holds everything it needs) and compiled no module of the package
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_adding_bytecode_replaces_stale_bytecode_and_keeps_every_other_entry(tmp_path: Path) -> None:
    # GIVEN a package with a module, a developer's stale timestamp pyc of it, a data file and a source that
    # does not compile on this Python (a library's file never imported)
    package = tmp_path / "deployment.zip"
    with zipfile.ZipFile(package, "w") as zipped:
        script = zipfile.ZipInfo("chalicelib/tool.py")
        script.external_attr = 0o755 << 16
        zipped.writestr(script, "ANSWER = 42\n")
        zipped.writestr("chalicelib/__pycache__/tool.cpython-311.pyc", b"stale")
        zipped.writestr("chalicelib/data.json", "{}")
        zipped.writestr("lib/py2_only.py", "print 'hello'\n")

    # WHEN bytecode is added
    count = add_bytecode(package)

    # THEN the module has fresh unchecked bytecode, the stale one is gone, the rest is as it was
    with zipfile.ZipFile(package) as zipped:
        names = sorted(zipped.namelist())
        pyc = zipped.read(importlib.util.cache_from_source("chalicelib/tool.py"))
        mode = zipped.getinfo("chalicelib/tool.py").external_attr >> 16
    assert count == 1
    assert names == sorted(
        [
            "chalicelib/tool.py",
            importlib.util.cache_from_source("chalicelib/tool.py"),
            "chalicelib/data.json",
            "lib/py2_only.py",
        ]
    )
    assert pyc[:4] == importlib.util.MAGIC_NUMBER and _flags(pyc) == UNCHECKED_HASH
    assert mode == 0o755
