"""The issue-19 agent mix as a locust file: list : detail : create = 4 : 4 : 1, 1–3 s of thinking
between requests, each simulated agent signed in as an agent user of its own.

Run by ``python -m tests.perf.load`` (``make bench-load``), which starts and seeds the stack; by hand:

    LOAD_MANIFEST=<seed dir>/bench-workspace.json locust -f tests/perf/load_agents.py --headless \\
        -u 25 -r 5 -t 60s --host http://127.0.0.1:8000

What a helpdesk is asked, and how, is an adapter class (``LOAD_ADAPTER=module:Class``): ``PulsedeskPaths``
here, ``DjangoHelpdeskPaths`` for a django-helpdesk peer. Locust patches the standard library with
gevent on import: never import this module into another program (pytest included); run it with locust.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any, ClassVar

import gevent
from locust import FastHttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment

LIST_QUERY = "status=new&status=open&priority=urgent&limit=25"
# Seconds after the last agent has started before the figures count (``LOAD_SETTLE_SECONDS``): every agent
# signs in first, with a password hash that is slow on purpose, and a hundred sign-ins in ten seconds queue
# the first minutes' requests behind them for tens of seconds. Agents sign in once a day, not all at once.
SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "0"))


@events.init.add_listener
def _count_once_settled(environment: Environment, **_: Any) -> None:
    def settled(**_: Any) -> None:
        if SETTLE_SECONDS > 0 and environment.runner is not None:
            stats = environment.runner.stats
            gevent.spawn_later(SETTLE_SECONDS, stats.reset_all)

    environment.events.spawning_complete.add_listener(settled)


class PulsedeskPaths:
    """Pulsedesk's REST API: a bearer token from ``/auth/login``, the dashboard's filtered list, a
    ticket, a new ticket. Agents and ticket ids come from the seed's manifest (``LOAD_MANIFEST``);
    without one, the demo workspace's agents (``make run``) and the ids the lists return."""

    def __init__(self) -> None:
        manifest = _manifest()
        self.workspace = manifest.get("slug", "demo")
        self.password = manifest.get("password", "lantern-harbour-demo")
        self.agents = manifest.get("agent_emails") or [
            "agent@example.com",
            "bea@example.com",
            "carlos@example.com",
            "lead@example.com",
        ]
        self.ticket_ids: list[str] = list(manifest.get("ticket_ids", []))

    def login(self, client: FastHttpSession, agent: str) -> dict[str, str]:
        body = {"workspace": self.workspace, "email": agent, "password": self.password}
        answer = client.post("/api/v1/auth/login", json=body, name="login")
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def filtered_list(self, client: FastHttpSession, headers: dict[str, str]) -> list[str]:
        answer = client.get(f"/api/v1/tickets?{LIST_QUERY}", headers=headers, name="filtered list")
        return [item["id"] for item in answer.json()["items"]] if answer.status_code == 200 else []

    def ticket_detail(self, client: FastHttpSession, headers: dict[str, str], ticket_id: str) -> None:
        client.get(f"/api/v1/tickets/{ticket_id}", headers=headers, name="ticket detail")

    def create(self, client: FastHttpSession, headers: dict[str, str], n: int) -> str | None:
        body = {
            "subject": f"Load test request {n}",
            "description": "Created by the load benchmark's simulated agent.",
            "requester": {"email": f"customer{n % 500}@load.example", "name": "Load Customer"},
            "priority": random.choice(["low", "normal", "normal", "high", "urgent"]),
        }
        answer = client.post("/api/v1/tickets", json=body, headers=headers, name="create")
        return str(answer.json()["id"]) if answer.status_code == 201 else None


class DjangoHelpdeskPaths(PulsedeskPaths):
    """A django-helpdesk peer (2.x, the staff web pages, as its agents use it): Django's session login
    with its CSRF token, the ticket list filtered to open + reopened and critical priority, a ticket's
    page, the staff submission form. Users as ``PEER_USERS="name:password,..."``, ticket ids as
    ``PEER_TICKET_IDS="1-10000"``, the queue for new tickets as ``PEER_QUEUE`` (its id). Check the
    paths against the peer's ``helpdesk/urls.py``: they move between releases."""

    login_path = "/login/"
    list_path = "/tickets/?status=1&status=2&priority=1"
    detail_path = "/tickets/{id}/"
    create_path = "/tickets/submit/"

    def __init__(self) -> None:
        users = [u.split(":", 1) for u in os.environ.get("PEER_USERS", "admin:admin").split(",") if u]
        self.agents = [name for name, _ in users]
        self._passwords = dict(users)
        first, _, last = os.environ.get("PEER_TICKET_IDS", "1-10000").partition("-")
        self.ticket_ids = [str(n) for n in range(int(first), int(last or first) + 1)]
        self.queue = os.environ.get("PEER_QUEUE", "1")

    def login(self, client: FastHttpSession, agent: str) -> dict[str, str]:
        token = _csrf(client.get(self.login_path, name="login").text)
        form = {"username": agent, "password": self._passwords[agent], "csrfmiddlewaretoken": token}
        client.post(self.login_path, data=form, headers={"Referer": self.login_path}, name="login")
        return {}

    def filtered_list(self, client: FastHttpSession, headers: dict[str, str]) -> list[str]:
        client.get(self.list_path, headers=headers, name="filtered list")
        return []

    def ticket_detail(self, client: FastHttpSession, headers: dict[str, str], ticket_id: str) -> None:
        client.get(self.detail_path.format(id=ticket_id), headers=headers, name="ticket detail")

    def create(self, client: FastHttpSession, headers: dict[str, str], n: int) -> str | None:
        token = _csrf(client.get(self.create_path, headers=headers, name="create (form)").text)
        form = {
            "queue": self.queue,
            "title": f"Load test request {n}",
            "body": "Created by the load benchmark's simulated agent.",
            "priority": "3",
            "submitter_email": f"customer{n % 500}@load.example",
            "csrfmiddlewaretoken": token,
        }
        client.post(self.create_path, data=form, headers={**headers, "Referer": self.create_path}, name="create")
        return None


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
    return found.group(1) if found else ""


def _manifest() -> dict[str, Any]:
    path = os.environ.get("LOAD_MANIFEST")
    return json.loads(Path(path).read_text()) if path else {}


def _adapter() -> PulsedeskPaths:
    module, _, name = os.environ.get("LOAD_ADAPTER", f"{__name__}:PulsedeskPaths").partition(":")
    adapter: PulsedeskPaths = getattr(importlib.import_module(module), name)()
    return adapter


class Agent(FastHttpUser):
    """One support agent at the dashboard: mostly reading the urgent queue and opening tickets."""

    wait_time = between(1, 3)
    paths: ClassVar[PulsedeskPaths] = _adapter()
    _logins: ClassVar[itertools.count[int]] = itertools.count()
    _created: ClassVar[itertools.count[int]] = itertools.count()

    def on_start(self) -> None:
        agents = self.paths.agents
        self.agent = agents[next(self._logins) % len(agents)]
        self.headers: dict[str, str] | None = None
        self._signed_in()

    def _signed_in(self) -> bool:
        """A sign-in that failed (locust counts its request) is tried again instead of the next task."""
        if self.headers is None:
            try:
                self.headers = self.paths.login(self.client, self.agent)
            except Exception:  # no token in the answer: the failed request is already counted
                return False
        return True

    @task(4)
    def filtered_list(self) -> None:
        if not self._signed_in() or self.headers is None:
            return
        ids = self.paths.filtered_list(self.client, self.headers)
        if ids and len(self.paths.ticket_ids) < 50:  # no manifest: open what the lists show
            self.paths.ticket_ids.extend(ids)

    @task(4)
    def ticket_detail(self) -> None:
        if not self._signed_in() or self.headers is None:
            return
        if self.paths.ticket_ids:
            self.paths.ticket_detail(self.client, self.headers, random.choice(self.paths.ticket_ids))

    @task(1)
    def create_ticket(self) -> None:
        if not self._signed_in() or self.headers is None:
            return
        self.paths.create(self.client, self.headers, next(self._created))
