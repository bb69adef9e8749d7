"""What each function touches, derived from the code it runs: the source of its IAM role.

A function runs its handler in ``app.py``; the handler imports its entry module inside its body (the REST API's
one function runs the route registry). The modules that entry reaches (grimp, the graph import-linter uses) say:

- which tables: every PynamoDB model a reached module imports from ``chalicelib.data.models`` (an item class
  maps to its table through ``Meta.table_name``);
- which AWS services: every ``boto3.client("<service>")`` in a reached module, granted by ``CLIENT_GRANTS``;
- whether it reads the stage secret: a reached module calls ``issue_access_token`` (the JWT private key) or
  ``slack_client_secret`` (the Slack app's); then, and only then, the function may read that secret.

A new handler, model or table needs nothing here. A new AWS service (``boto3.client("s3")``) needs one entry in
``CLIENT_GRANTS``; a resource only one function uses (a bucket) goes in ``FUNCTION_GRANTS`` under its name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from infra.aws.stage import PROJECT_DIR

API_ENTRY = "chalicelib.api.registry"
MODELS_MODULE = "chalicelib.data.models"
STAGE_SECRET_CALL = re.compile(r"\b(?:issue_access_token|slack_client_secret)\(")
# where those are defined (a definition is not a call)
STAGE_SECRET_MODULES = {"chalicelib.services.tokens", "chalicelib.data.stage_secret"}
CLIENT_CALL = re.compile(r"""\bclient\(\s*["']([a-z0-9-]+)["']""")


@dataclass(frozen=True)
class Grant:
    """IAM actions on resources named by the app's resources (see ``policy.Resources``)."""

    sid: str
    actions: tuple[str, ...]
    resources: str  # a key of policy.Resources: "queues", "websocket", "email", "secret", ...


# AWS service a module opens a client for -> what that function may then do with it.
CLIENT_GRANTS: dict[str, tuple[Grant, ...]] = {
    "ses": (Grant("SendEmailAsTheSender", ("ses:SendEmail", "ses:SendRawEmail"), "email"),),
    "sqs": (Grant("QueuesSend", ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"), "queues"),),
    "apigatewaymanagementapi": (Grant("WebSocketPush", ("execute-api:ManageConnections",), "websocket"),),
    # reading back the records of a failed stream batch (services/stream_failures.py)
    "dynamodbstreams": (Grant("StreamReadBack", ("dynamodb:GetRecords", "dynamodb:GetShardIterator"), "streams"),),
    # buckets are not shared: each function's bucket statements come from infra/aws/inbound.py
    "s3": (),
}
# Function logical id -> grants beyond what its code shows (e.g. a bucket only it reads).
FUNCTION_GRANTS: dict[str, tuple[Grant, ...]] = {}


@dataclass(frozen=True)
class FunctionNeeds:
    tables: tuple[str, ...]  # physical table names
    services: tuple[str, ...]  # boto3 service names
    reads_stage_secret: bool


def needs_of(handler: str) -> FunctionNeeds:
    """``handler`` is the function's Handler in the template: ``app.app`` (the REST API) or ``app.<name>``."""
    modules = reached_modules(entry_modules(handler.removeprefix("app.")))
    tables: set[str] = set()
    services: set[str] = set()
    reads_secret = False
    for module in modules:
        source = _source(module)
        if module != MODELS_MODULE:
            tables |= {table for name in _imported_models(source) if (table := _table_of(name))}
        if module not in STAGE_SECRET_MODULES:
            reads_secret = reads_secret or bool(STAGE_SECRET_CALL.search(source))
        services |= set(CLIENT_CALL.findall(source))
    unknown = services - set(CLIENT_GRANTS)
    if unknown:
        raise ValueError(f"{handler} opens {sorted(unknown)} clients: add them to CLIENT_GRANTS in {__file__}")
    return FunctionNeeds(tuple(sorted(tables)), tuple(sorted(services)), reads_secret)


def entry_modules(handler_name: str) -> set[str]:
    """The chalicelib modules a handler imports in its body (for the REST API: the route registry)."""
    if handler_name == "app":
        return {API_ENTRY}
    tree = ast.parse((PROJECT_DIR / "app.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == handler_name:
            found = {
                inner.module
                for inner in ast.walk(node)
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.module.startswith("chalicelib")
            }
            if not found:
                raise ValueError(f"app.{handler_name} imports no chalicelib module in its body")
            return found
    raise ValueError(f"no handler {handler_name!r} in app.py")


def reached_modules(entries: set[str]) -> set[str]:
    graph = _graph()
    reached = set(entries)
    for entry in entries:
        reached |= graph.find_upstream_modules(entry)
    return {module for module in reached if module.startswith("chalicelib")}


@cache
def _graph() -> Any:
    import grimp

    return grimp.build_graph("chalicelib", cache_dir=None)


def _source(module: str) -> str:
    base = PROJECT_DIR / Path(*module.split("."))
    path = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
    return path.read_text()


def _imported_models(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == MODELS_MODULE:
            names |= {alias.name for alias in node.names}
    return names


def _table_of(name: str) -> str:
    from chalicelib.data import models

    model = getattr(models, name)
    if not (isinstance(model, type) and hasattr(model, "Meta") and hasattr(model.Meta, "table_name")):
        return ""
    return str(model.Meta.table_name)
