"""moto server (``python -m infra.local.moto_app -H host -p port``), plus one read the local stack needs
and moto's own API answers only whole: the mail SES was asked to send from a point on,

    GET /_local/ses/sent?region=us-east-1&after=N  ->  {"next": M, "ses": {"RawMessage": [...], ...}}

the messages ``N`` to ``M`` of SES's sent list (moto's documented ``ses_backends[...].sent_messages``), each
shaped as ``/moto-api/data.json`` shapes it. ``data.json`` serialises every model of every service, and the
mail relay asked for it every second while mail was being sent: in a 10,000-ticket seed (25,000 messages)
that took most of moto's CPU and grew with every message.

It also keeps moto's SQS receive linear in the queue's backlog (:func:`keep_receives_linear`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

SENT_PATH = "/_local/ses/sent"
DEFAULT_REGION = "us-east-1"

StartResponse = Callable[..., Any]


def sent_since(region: str, after: int) -> dict[str, Any]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages
    total = len(sent)  # the server is threaded: what is appended while this reads comes next time
    grouped: dict[str, list[dict[str, Any]]] = {}
    for message in sent[after:total]:
        grouped.setdefault(type(message).__name__, []).append(_public_fields(message))
    return {"next": max(after, total), "ses": grouped}


def _public_fields(instance: object) -> dict[str, Any]:
    """What ``/moto-api/data.json`` keeps of a model: its public attributes that are JSON."""
    fields: dict[str, Any] = {}
    for name in dir(instance):
        if name.startswith("_"):
            continue
        try:
            value = getattr(instance, name)
            json.dumps(value)
        except (TypeError, AttributeError, ValueError):
            continue
        fields[name] = value
    return fields


def _sent_answer(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        after = max(0, int(query.get("after", ["0"])[0]))
    except ValueError:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"after: a whole number"]
    body = json.dumps(sent_since(query.get("region", [DEFAULT_REGION])[0], after)).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def keep_receives_linear() -> None:
    """moto 5.2's ReceiveMessage checks each message it hands out against the queue's retention period by
    building every attribute of the queue, three of which count its messages: quadratic in the backlog. With
    ~1,400 notification jobs waiting during a 10,000-ticket seed, moto took a core and every consumer that
    sends to SQS slowed to ~20 records/s. The same rule, reading the one attribute it needs."""
    from moto.core.utils import unix_time
    from moto.sqs.models import Message, SQSBackend

    def is_message_valid_based_on_retention_period(self: SQSBackend, queue_name: str, message: Message) -> bool:
        retention_seconds = int(self.get_queue(queue_name).message_retention_period)  # type: ignore[attr-defined]
        return bool(retention_seconds + message.sent_timestamp / 1000 > unix_time())  # type: ignore[operator]

    SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args(argv)
    keep_receives_linear()
    moto = DomainDispatcherApplication(create_backend_app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == SENT_PATH:
            return _sent_answer(environ, start_response)
        answer: Iterable[bytes] = moto(environ, start_response)
        return answer

    run_simple(args.host, args.port, application, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
