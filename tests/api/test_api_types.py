"""The frontend's API types are generated from the OpenAPI document the app serves, and are current.

``frontend/src/types/openapi.gen.ts`` is written by ``openapi-typescript`` (``make api-types``); this
regenerates it from the served document into a temporary directory and compares, so a changed
response or request model without regenerated types fails here (and ``tsc`` then shows each
component the change touches).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import openapi_dump
from tests.api.client import ApiClient

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
GENERATED = FRONTEND / "src/types/openapi.gen.ts"
OPTIONS = ["--default-non-nullable", "false"]  # a default makes a field optional to send, and to receive


@pytest.fixture(scope="module")
def served(api: ApiClient) -> dict[str, Any]:
    reply = api.get("/openapi.json")
    assert reply.status == 200
    return dict(reply.body)


def test_the_dumped_document_is_the_served_one(served: dict[str, Any]) -> None:
    assert openapi_dump.document() == served


def test_the_npm_script_generates_with_the_same_options() -> None:
    script = json.loads((FRONTEND / "package.json").read_text())["scripts"]["gen:api"]
    assert f"openapi-typescript openapi.json {' '.join(OPTIONS)} -o src/types/openapi.gen.ts" in script


def test_the_committed_frontend_types_are_generated_from_the_served_document(
    served: dict[str, Any], tmp_path: Path
) -> None:
    generator = FRONTEND / "node_modules/.bin/openapi-typescript"
    assert generator.exists(), "openapi-typescript is not installed: run `make frontend-deps`"
    assert shutil.which("node"), "Node.js is required to generate the frontend's API types"
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(served, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    fresh = tmp_path / "openapi.gen.ts"

    subprocess.run(
        [str(generator), str(document), *OPTIONS, "-o", str(fresh)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert fresh.read_text() == GENERATED.read_text(), (
        "frontend/src/types/openapi.gen.ts is stale: the API's models changed. Run `make api-types` "
        "and commit the result (then `npx tsc --noEmit` in frontend/ shows what the change touches)."
    )
