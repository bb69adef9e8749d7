"""A cold start (importing app.py, as Lambda does before the first event) loads what declaring the app needs:
chalice, Powertools' logger and metrics, the settings, the domain's permissions and the request and response
models the route declarations name. Every use case, the data layer and the libraries they bring (PynamoDB,
botocore's clients, PyJWT and cryptography, urllib3) are imported by the first handler that needs them, and a
handler loads only its own. A list of modules, not a time: time depends on the machine, the list does not,
and each of these cost tens of milliseconds of a cold import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Each is needed by some handlers only, or by every handler but not by the declarations: storage (PynamoDB,
# botocore's clients and urllib3), tokens (PyJWT, cryptography), templates (jinja2), Markdown (markdown-it,
# nh3), Slack, passwords (argon2, zxcvbn), business-hours holidays, X-Ray (made with the first invocation),
# AWS clients other than DynamoDB (boto3 and s3transfer), inbound mail parsing, webhook signing.
DEFERRED = (
    "pynamodb",
    "botocore.client",
    "urllib3",
    "jwt",
    "cryptography",
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
# The layers a view reaches through its use case: a route module imports its services inside its views.
DEFERRED_LAYERS = ("chalicelib.services", "chalicelib.data", "chalicelib.workers")


def _in_a_fresh_interpreter(code: str) -> str:
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
    return done.stdout.splitlines()[-1]


def test_importing_the_app_loads_none_of_the_modules_its_declarations_do_not_need() -> None:
    # GIVEN a fresh interpreter, as a Lambda cold start has
    # WHEN it imports the app
    loaded = json.loads(
        _in_a_fresh_interpreter(
            "import json, sys; import app; print(json.dumps(sorted(m for m in sys.modules"
            f" if m in {list(DEFERRED)!r} or m.startswith({DEFERRED_LAYERS!r}))))"
        )
    )

    # THEN the app is there and none of them was loaded (a route module that imports its services at the top
    # shows here by its services: import them inside the views, as the other route modules do)
    assert loaded == []


def test_the_first_request_loads_its_own_use_case_and_no_other() -> None:
    # GIVEN a fresh interpreter with the app imported
    # WHEN the first ticket list's imports run: the request pipeline's (auth, rate limits) and its view's
    code = (
        "import json, sys, app; from chalicelib.api import tickets_routes;"
        "from chalicelib.services import auth, rate_limits, ticket_lists;"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('chalicelib.services.'))))"
    )
    loaded = set(json.loads(_in_a_fresh_interpreter(code)))

    # THEN the list's use case is there, and the use cases of other resources are not
    assert {"chalicelib.services.auth", "chalicelib.services.ticket_lists"} <= loaded
    assert not loaded & {
        "chalicelib.services.articles",
        "chalicelib.services.metrics_report",
        "chalicelib.services.rules_admin",
        "chalicelib.services.portal_requests",
        "chalicelib.services.signup",
    }


def test_importing_the_app_reads_no_list_of_every_time_zone() -> None:
    # the list of known zones reads hundreds of files; the default calendar (UTC) made at import needs none
    code = (
        "import app; from chalicelib.domain import business_hours;"
        "print(business_hours._known_time_zones.cache_info().currsize)"
    )
    assert _in_a_fresh_interpreter(code) == "0"


def test_request_models_are_built_when_first_used() -> None:
    # pydantic builds a model's validator at class creation unless told to wait; hundreds of models would
    # otherwise be built on every cold start for the one or two a request needs
    code = (
        "import json, app; from chalicelib.api import schemas; from chalicelib.contracts import responses;"
        "print(json.dumps([schemas.TicketCreateIn.__pydantic_complete__, responses.TicketOut.__pydantic_complete__]))"
    )
    assert json.loads(_in_a_fresh_interpreter(code)) == [False, False]
