"""A cold start (importing app.py, as Lambda does before the first request) loads no module that only some
handlers need: they are imported where they are used. A list of modules, not a time: time depends on the
machine, the list does not, and each of these cost tens of milliseconds of a cold import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Each is needed by few handlers: templates (jinja2), Markdown (markdown-it, nh3), Slack, passwords (argon2,
# zxcvbn), business-hours holidays, X-Ray (made with the first invocation), AWS clients other than DynamoDB
# (boto3 and s3transfer), inbound mail parsing, webhook signing.
DEFERRED = (
    "jinja2",
    "markdown_it",
    "nh3",
    "slack_sdk",
    "argon2",
    "zxcvbn",
    "holidays",
    "aws_xray_sdk",
    "boto3",
    "s3transfer",
    "mailparser_reply",
    "standardwebhooks",
)


def test_importing_the_app_loads_none_of_the_modules_few_handlers_need() -> None:
    # GIVEN a fresh interpreter, as a Lambda cold start has
    code = f"import json, sys; import app; print(json.dumps([m for m in {list(DEFERRED)!r} if m in sys.modules]))"

    # WHEN it imports the app
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # THEN the app is there and none of them was loaded
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_request_models_are_built_when_first_used() -> None:
    # pydantic builds a model's validator at class creation unless told to wait; hundreds of models would
    # otherwise be built on every cold start for the one or two a request needs
    code = (
        "import json, app; from chalicelib.api import schemas; from chalicelib.contracts import responses;"
        "print(json.dumps([schemas.TicketCreateIn.__pydantic_complete__, responses.TicketOut.__pydantic_complete__]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [False, False]
