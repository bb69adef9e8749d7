"""Compiled bytecode in the Lambda package, so a cold start does not compile the app and its libraries.

``chalice package`` zips sources only: wheels are unpacked without ``.pyc`` files, and Lambda's code directory
is read-only, so without them every cold start compiles each module it imports (half of a cold start's CPU
or more, measured in the README). This adds ``__pycache__/<module>.cpython-3XX.pyc`` beside every ``.py``
of the package, compiled by the interpreter that packaged it (Chalice takes the Lambda runtime from that same
interpreter, so the bytecode's version is the runtime's). They are ``unchecked-hash`` pycs: Python loads them
without comparing them with the source, as the package is never edited in place; this also makes the mtimes a
zip keeps irrelevant. Whatever ``.pyc`` the package held before (a developer's ``__pycache__`` in chalicelib,
compiled against timestamps) is replaced.
"""

from __future__ import annotations

import compileall
import py_compile
import shutil
import tempfile
import zipfile
from pathlib import Path

PYC_MODE = 0o644 << 16  # a regular file, readable by the Lambda runtime's user


def add_bytecode(package: Path) -> int:
    """Rewrites ``package`` (a deployment zip) with a compiled ``.pyc`` for each ``.py``; returns how many.

    A source that does not compile (a library's file for another Python version, never imported) is left
    without one: the build goes on, as Python would only fail if something imported it."""
    with tempfile.TemporaryDirectory(prefix="lambda-bytecode-") as scratch:
        root = Path(scratch)
        with zipfile.ZipFile(package) as source:
            entries = [(info, source.read(info)) for info in source.infolist() if not _is_bytecode(info.filename)]
        for info, data in entries:
            if info.filename.endswith(".py"):
                path = root / info.filename
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        compileall.compile_dir(
            root,
            quiet=2,
            workers=0,  # one process per core
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        compiled = sorted((str(pyc.relative_to(root)), pyc.read_bytes()) for pyc in root.rglob("__pycache__/*.pyc"))
        rewritten = root / "package.zip"
        with zipfile.ZipFile(rewritten, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for info, data in entries:
                target.writestr(info, data)
            for name, data in compiled:
                target.writestr(_pyc_info(name), data)
        shutil.move(rewritten, package)
    return len(compiled)


def _is_bytecode(name: str) -> bool:
    return name.endswith((".pyc", ".pyo"))


def _pyc_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # unchecked pycs ignore it: a stable zip
    info.external_attr = PYC_MODE
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
