"""Writes the OpenAPI document the app serves at /api/v1/openapi.json, for the frontend's generated
types (``make api-types``; ``npm run gen:api`` in frontend/).

    python -m chalicelib.api.openapi_dump [PATH]    # stdout without a path
"""

from __future__ import annotations

import json
import sys
from typing import Any

from chalicelib.api.openapi import build_document
from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import all_specs


def document() -> dict[str, Any]:
    return build_document(all_specs(ROUTERS))


def main(argv: list[str]) -> int:
    text = json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
    if len(argv) > 1:
        with open(argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
