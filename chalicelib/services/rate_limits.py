"""Rate limits in the app, so they hold locally and in AWS alike (WAF in front only adds to them).

Signed-in requests take from their workspace's token bucket (and an API key's requests from the key's
as well), and learn what is left (the RateLimit-* headers); public routes count against the caller's
address; refused credentials and failed sign-ins have counters of their own. An exceeded limit is a 429
with ``Retry-After``: the seconds until a request fits again.
"""

from __future__ import annotations

import threading
import time

from chalicelib.data import rate_limits
from chalicelib.domain.errors import TooManyRequests
from chalicelib.domain.principal import Principal
from chalicelib.domain.rate_limits import BUCKET_LIMITS, Lease, Quota, bucket, window
from chalicelib.observability import BusinessEvent, count, logger
from chalicelib.settings import get_settings

TOO_MANY = "Too many requests. Wait {seconds} s and try again."


def _now() -> float:
    return time.time()


def check(name: str, subject: str) -> None:
    """Counts one request of ``subject`` against limit ``name``; raises TooManyRequests past it."""
    limit = get_settings().rate_limits[name]
    current = window(name, subject, limit, _now())
    if rate_limits.count(current.key, current.expires_at_epoch) > limit.requests:
        logger.info("rate limited", extra={"limit": name})
        count(BusinessEvent.RATE_LIMITED)
        raise TooManyRequests(TOO_MANY.format(seconds=current.resets_in_seconds), current.resets_in_seconds)


def within(name: str, subject: str) -> bool:
    """Counts one use like ``check``, but answers whether it was within the limit instead of
    refusing: for limits the caller must not reveal (a reset mailed to an account that exists)."""
    limit = get_settings().rate_limits[name]
    current = window(name, subject, limit, _now())
    return rate_limits.count(current.key, current.expires_at_epoch) <= limit.requests


# Per container: each bucket's last lease (see domain/rate_limits.py)
_leases: dict[str, Lease] = {}
_leases_lock = threading.Lock()
MAX_LEASES = 10_000


def take(name: str, subject: str) -> Quota:
    """Takes one request from ``subject``'s token bucket under ``name``; raises TooManyRequests when empty."""
    if name not in BUCKET_LIMITS:
        raise ValueError(f"{name} is a fixed-window limit: use check()")
    limit, now = get_settings().rate_limits[name], _now()
    key = bucket(name, subject, limit, now).key
    with _leases_lock:
        lease = _leases.get(key)
        if lease is not None and lease.take.limit != limit:  # the limit was changed since
            lease = None
        handed = lease.hand_out(now) if lease is not None else None
    if handed is not None:
        return handed
    request = bucket(name, subject, limit, now, tokens=lease.next_size(now) if lease is not None else 1)
    allowed, arrival = rate_limits.take(request)
    if not allowed and request.tokens > 1:  # too few left for a lease: one token, exactly
        request = bucket(name, subject, limit, now)
        allowed, arrival = rate_limits.take(request)
    if allowed:
        lease = Lease(request, arrival, left=request.tokens)
        with _leases_lock:
            if len(_leases) >= MAX_LEASES:
                _leases.clear()
            _leases[key] = lease
            return lease.hand_out(now) or request.granted(arrival)
    with _leases_lock:
        _leases.pop(key, None)
    quota = request.refused(arrival)
    logger.info("rate limited", extra={"limit": name})
    count(BusinessEvent.RATE_LIMITED)
    raise TooManyRequests(TOO_MANY.format(seconds=quota.retry_after_seconds), quota.retry_after_seconds, quota)


def check_signed_in(principal: Principal) -> Quota:
    """The workspace's quota, or the key's when that one is tighter (both are taken from)."""
    quota = take("api.workspace", principal.tenant_id)
    if principal.kind == "api_key":
        key_quota = take("api.key", f"{principal.tenant_id}#{principal.id}")
        quota = min(quota, key_quota, key=lambda q: q.remaining)
    return quota


# --- sign-in failures: an address guessing one account, one account from anywhere, one address guessing many ---


def _login_failure_windows(tenant_id: str, email: str, address: str) -> list[tuple[str, str]]:
    account = f"{tenant_id}#{email.lower()}"
    return [
        ("login_failures.account_ip", f"{account}#{address}"),
        ("login_failures.account", account),
        ("login_failures.ip", address),
    ]


def refuse_if_locked(tenant_id: str, email: str, address: str) -> None:
    """Before a password is even checked: a sign-in past any failure limit is refused."""
    now = _now()
    for name, subject in _login_failure_windows(tenant_id, email, address):
        limit = get_settings().rate_limits[name]
        current = window(name, subject, limit, now)
        if rate_limits.current(current.key) >= limit.requests:
            wait = current.resets_in_seconds
            count(BusinessEvent.RATE_LIMITED)
            raise TooManyRequests(
                f"Too many failed sign-ins. Try again in {max(1, wait // 60)} minute(s), or ask an admin.", wait
            )


def record_login_failure(tenant_id: str, email: str, address: str) -> None:
    # Counted here, the one call every failed sign-in makes: one naming an unknown workspace stores no audit
    # entry, so the stream cannot count them all.
    count(BusinessEvent.LOGIN_FAILED)
    now = _now()
    for name, subject in _login_failure_windows(tenant_id, email, address):
        current = window(name, subject, get_settings().rate_limits[name], now)
        rate_limits.count(current.key, current.expires_at_epoch)


def clear_login_failures(tenant_id: str, email: str, address: str) -> None:
    """A right password from this address ends its count for this account (not the others)."""
    name, subject = _login_failure_windows(tenant_id, email, address)[0]
    rate_limits.forget(window(name, subject, get_settings().rate_limits[name], _now()).key)


def clear_account_login_failures(tenant_id: str, email: str, address: str) -> None:
    """The owner proved the address and chose a new password: whoever was guessing the old one no
    longer keeps the account locked (the per-address count of other accounts stays)."""
    now = _now()
    for name, subject in _login_failure_windows(tenant_id, email, address)[:2]:
        rate_limits.forget(window(name, subject, get_settings().rate_limits[name], now).key)
