"""Rate limits: which counters a request counts against, and when a counter's window resets.

Each limit is a fixed window: at most ``requests`` in every window of ``window_seconds``, counted
by one atomic add per request in DynamoDB (no read first, so no race and one round trip). A fixed
window lets a client burst to twice the rate across a boundary; for abuse limits that is fine, and
it keeps every check to a single write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    requests: int
    window_seconds: int


# Defaults, overridable one by one with PULSEDESK_RATE_LIMITS ("name=requests/seconds,...").
DEFAULT_LIMITS: dict[str, Limit] = {
    "api.workspace": Limit(3000, 60),  # every signed-in request of one workspace
    "api.key": Limit(600, 60),  # requests made with one API key
    "public.ip": Limit(120, 60),  # public routes without a stricter limit of their own
    "auth.ip": Limit(60, 60),  # sign-in, token refresh, sign-up confirmation from one address
    "signup.ip": Limit(10, 3600),  # new workspaces asked for from one address
    "password_reset.account": Limit(3, 3600),  # reset links mailed to one account (no mail-bombing)
    "unauthenticated.ip": Limit(60, 60),  # requests refused for a bad or missing credential
    "login_failures.account_ip": Limit(5, 900),  # one address guessing one account's password
    "login_failures.account": Limit(50, 900),  # one account guessed at from many addresses
    "login_failures.ip": Limit(30, 900),  # one address guessing many accounts' passwords
    "inbound.sender": Limit(20, 3600),  # emails from one sender to one workspace (past it: spam)
}


@dataclass(frozen=True)
class Window:
    key: str
    resets_in_seconds: int
    expires_at_epoch: int


def window(name: str, subject: str, limit: Limit, now_epoch: float) -> Window:
    """The counter of ``subject`` (a tenant, key, address...) under ``name`` for the window holding now."""
    start = int(now_epoch // limit.window_seconds) * limit.window_seconds
    end = start + limit.window_seconds
    return Window(
        key=f"{name}#{subject}#{start}",
        resets_in_seconds=max(1, math.ceil(end - now_epoch)),
        expires_at_epoch=end + 60,  # kept a minute past its window, then DynamoDB's TTL removes it
    )


def parse_limits(text: str) -> dict[str, Limit]:
    """``"api.key=100/60, signup.ip=5/3600"`` -> limits (unknown names and bad values raise ValueError)."""
    limits = dict(DEFAULT_LIMITS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, rate = part.partition("=")
        requests, _, seconds = rate.partition("/")
        if name.strip() not in DEFAULT_LIMITS:
            raise ValueError(f"unknown rate limit '{name.strip()}'")
        limit = Limit(int(requests), int(seconds))
        if limit.requests < 1 or limit.window_seconds < 1:
            raise ValueError(f"rate limit '{name.strip()}' must be positive")
        limits[name.strip()] = limit
    return limits
