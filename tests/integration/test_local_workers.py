"""`make run`'s stack in processes (issue 19: the local stack uses the machine like Lambda uses
concurrency): REST requests served by worker processes, the stream, queue and schedule handlers by a
process of their own, and the WebSocket gateway in the front's process receiving their pushes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.stack import LocalEngines, LocalStack
from tests.integration.http import Http, new_team
from tests.integration.test_realtime import listening, receive_until


@pytest.fixture(scope="module")
def stack(local_engines: LocalEngines, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(
        tmp_path_factory.mktemp("workers"), front_port=0, engines=local_engines, app="app:app", rest_processes=2
    )
    local.start()
    yield local
    local.stop()


class PatientHttp(Http):
    """The machine this runs on may be shared and busy: signing up hashes a password (argon2)."""

    def call(self, method: str, path: str, token: str | None = None, body: Any = None, headers: Any = None) -> Any:
        sent = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return requests.request(method, f"{self.base_url}/api/v1{path}", json=body, headers=sent, timeout=120)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_rest_requests_and_event_handlers_run_in_processes_of_their_own_and_pushes_still_arrive(
    stack: LocalStack,
) -> None:
    # GIVEN a front with two worker processes and an event runner's process, children of the stack's
    workers, runner = stack.rest_worker_pids, stack.event_runner_pid
    assert len(workers) == 2 and os.getpid() not in workers
    assert runner != os.getpid() and runner not in workers
    assert all(_parent(pid) == os.getpid() for pid in {*workers, runner})
    http = PatientHttp(stack.base_url, Http.for_stack(stack).read_outbox)
    team = new_team(http, roles=("agent",))
    body = {"subject": "Printer on fire", "description": "Smoke", "requester": {"email": "r@example.com"}}
    with listening(stack, team.tokens["agent"]) as agent:
        # WHEN tickets are created concurrently through the workers
        with ThreadPoolExecutor(4) as pool:
            created = list(pool.map(lambda _: http.ok("POST", "/tickets", team.tokens["admin"], body), range(6)))
        # THEN every one is listed, and each reached the open dashboard over the WebSocket
        ids = {t["id"] for t in created}
        listed = http.ok("GET", "/tickets?limit=50", team.tokens["agent"])["items"]
        assert ids <= {t["id"] for t in listed}
        seen = receive_until(
            agent, lambda events: ids <= {e["ticket"]["id"] for e in events if e["type"] == "ticket.created"}
        )
        assert seen
