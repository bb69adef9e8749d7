"""Rate limits: which counters a request counts against, and when a counter's window resets.

Abuse limits (sign-in, sign-up, addresses) are fixed windows: at most ``requests`` in every window of
``window_seconds``, counted by one atomic add per request in DynamoDB (no read first, so no race and one
round trip). A fixed window lets a client burst to twice the rate across a boundary; for abuse limits that
is fine, and it keeps every check to a single write.

The quotas of paying use (``BUCKET_LIMITS``: a workspace, an API key) are token buckets instead: a steady
``requests / window_seconds`` rate with bursts up to ``requests``, no doubled burst at a boundary, and an
honest ``RateLimit-Remaining``. A bucket is kept as one number, its theoretical arrival time (GCRA, the
token bucket's equivalent form): each request moves it ``interval`` later; a request that would move it
more than ``window_seconds`` past now finds the bucket empty. The move is a conditional update, so the
check stays one write in the common case.

A busy container takes several tokens in one move and hands them out over the next second without a write
each (a ``Lease``): under a steady load that is most of a request's DynamoDB work saved (the bucket's write
was one DynamoDB call in four of a list). The lease grows while it is used up within its second, and halves when it
is not. A bucket of fewer than 200 requests per window is never leased from, so small quotas stay exact;
a larger one leases at most 1 % of itself. Tokens a lease did not hand out in its second are spent: one
container's lease at most, about one second's worth of its own requests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace


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
    "inbound.workspace": Limit(500, 3600),  # emails to one workspace from anyone (From is forgeable; past it: spam)
    "portal_sign_in.address": Limit(5, 900),  # portal sign-in links mailed to one address (no mail-bombing)
    "portal_sign_in.ip": Limit(20, 900),  # portal sign-in links asked for from one address
    "web_form.ip": Limit(10, 3600),  # web-form requests from one address
    "web_form.workspace": Limit(200, 3600),  # web-form requests to one workspace from anyone
    # frames one WebSocket connection sends (the app sends a ping a minute and "typing" at most every few
    # seconds); the gateway's stage throttle bounds every connection together, this one each connection
    "ws.connection": Limit(60, 60),
}


# Limits counted as token buckets (the rest are fixed windows).
BUCKET_LIMITS = frozenset({"api.workspace", "api.key"})


@dataclass(frozen=True)
class Quota:
    """What a caller may still do under one limit, for the RateLimit-* headers (and Retry-After when refused)."""

    limit: int
    remaining: int
    reset_seconds: int  # until the bucket is full again
    window_seconds: int
    retry_after_seconds: int = 0  # refused: until one request fits


@dataclass(frozen=True)
class BucketTake:
    """One request's take from the bucket ``key`` at ``now`` (epoch seconds)."""

    key: str
    limit: Limit
    now: float
    tokens: int = 1  # taken at once (a lease)

    @property
    def interval(self) -> float:
        return self.limit.window_seconds / self.limit.requests

    @property
    def step(self) -> float:
        """How far the take moves the arrival time."""
        return self.interval * self.tokens

    @property
    def fresh(self) -> float:
        """The arrival time after this take from a full (or never used) bucket."""
        return self.now + self.step

    @property
    def latest_allowed(self) -> float:
        """A take is allowed while the arrival time is at most this (its tokens left)."""
        return self.now + self.limit.window_seconds - self.step

    def expires_at_epoch(self, arrival: float) -> int:
        """Past its arrival time a bucket is full, the same as no bucket: DynamoDB's TTL may remove it."""
        return math.ceil(arrival) + 60

    def granted(self, arrival: float) -> Quota:
        """The quota after an allowed take moved the arrival time to ``arrival``."""
        left = (self.now + self.limit.window_seconds - arrival) / self.interval
        return Quota(
            limit=self.limit.requests,
            remaining=max(0, math.floor(left + 1e-9)),
            reset_seconds=max(0, math.ceil(arrival - self.now)),
            window_seconds=self.limit.window_seconds,
        )

    def refused(self, arrival: float) -> Quota:
        """The quota of a refused take, the bucket's arrival time being ``arrival``."""
        return Quota(
            limit=self.limit.requests,
            remaining=0,
            reset_seconds=max(1, math.ceil(arrival - self.now)),
            window_seconds=self.limit.window_seconds,
            retry_after_seconds=max(1, math.ceil(arrival - self.latest_allowed)),
        )


def bucket(name: str, subject: str, limit: Limit, now_epoch: float, tokens: int = 1) -> BucketTake:
    return BucketTake(key=f"bucket#{name}#{subject}", limit=limit, now=now_epoch, tokens=tokens)


LEASE_SECONDS = 1.0  # a lease's tokens are handed out within this long of its take, or not at all
MAX_LEASE = 16
LEASED_SHARE = 100  # a lease is at most 1/100 of its bucket


@dataclass
class Lease:
    """Tokens one container took from a bucket in one move (``take``), ``left`` of them not yet handed out."""

    take: BucketTake
    arrival: float  # the bucket's arrival time after the take
    left: int

    def hand_out(self, now: float) -> Quota | None:
        """One of its tokens, with what is left (the bucket's and the lease's own), or None: used up or too old."""
        if self.left < 1 or not self.take.now <= now < self.take.now + LEASE_SECONDS:
            return None
        self.left -= 1
        quota = replace(self.take, now=now, tokens=1).granted(self.arrival)
        return replace(quota, remaining=min(self.take.limit.requests - 1, quota.remaining + self.left))

    def next_size(self, now: float) -> int:
        """The next lease's size: twice this one if it ran out within its second, else half."""
        most = min(MAX_LEASE, self.take.limit.requests // LEASED_SHARE)
        used_up_in_time = self.left == 0 and now < self.take.now + LEASE_SECONDS
        size = self.take.tokens * 2 if used_up_in_time else self.take.tokens // 2
        return max(1, min(most, size))


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
