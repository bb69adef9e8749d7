"""The observability wrapper every handler runs in, in a Lambda-like process of its own (the tracer's
settings are process-wide): with POWERTOOLS_TRACE_DISABLED it does nothing and needs no X-Ray daemon,
the handler still answers, and the metrics it added leave as one EMF line at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]

HANDLER = """
import json
from types import SimpleNamespace
from chalicelib.observability import BusinessEvent, count, get_tracer, observed

def handler(event, context):
    count(BusinessEvent.TICKET_CREATED)
    return {"answer": event["question"] * 2}

context = SimpleNamespace(function_name="workflows", memory_limit_in_mb=1024,
                          invoked_function_arn="arn:aws:lambda:us-east-1:000000000000:function:workflows",
                          aws_request_id="req-1")
print(json.dumps({"result": observed(handler)({"question": 21}, context), "disabled": get_tracer().disabled}))
"""


def run_in_lambda_like_process(**environment: str) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(PROJECT_DIR),
        "LAMBDA_TASK_ROOT": "/var/task",  # what tells Powertools it runs in Lambda
        "AWS_LAMBDA_FUNCTION_NAME": "workflows",
        "AWS_DEFAULT_REGION": "us-east-1",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", HANDLER], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_with_tracing_disabled_the_handler_runs_and_flushes_its_metrics() -> None:
    lines = run_in_lambda_like_process(POWERTOOLS_TRACE_DISABLED="true")

    emf = [json.loads(line) for line in lines if '"_aws"' in line]
    outcome = json.loads(lines[-1])
    assert outcome == {"disabled": True, "result": {"answer": 42}}
    assert len(emf) == 1 and emf[0]["TicketsCreated"] == [1.0]
    assert emf[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Pulsedesk"


def test_in_lambda_the_tracer_is_on_unless_disabled() -> None:
    enabled = run_in_lambda_like_process(POWERTOOLS_TRACE_DISABLED="false", AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR")

    assert json.loads(enabled[-1])["disabled"] is False
