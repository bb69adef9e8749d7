"""The headers every API answer carries, defined once for the app, the local front and the edge.

API answers are per-caller data: no cache (browser, proxy or CDN) may keep them (``no-store``, which
also covers token responses), and no browser may sniff a JSON error into HTML (``nosniff``).
"""

from __future__ import annotations

from typing import Final

from chalicelib.domain.rate_limits import Quota

API_RESPONSE_HEADERS: Final[dict[str, str]] = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

# Request header CloudFront adds to every request it forwards to API Gateway (infra/aws/edge.py), with the
# stage secret's value; the app refuses requests without it (chalicelib/api/origin.py).
ORIGIN_VERIFY_HEADER: Final = "X-Pulsedesk-Origin-Verify"


def rate_limit_headers(quota: Quota) -> dict[str, str]:
    """The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) of one token bucket."""
    return {
        "RateLimit-Limit": str(quota.limit),
        "RateLimit-Remaining": str(quota.remaining),
        "RateLimit-Reset": str(quota.reset_seconds),
        "RateLimit-Policy": f"{quota.limit};w={quota.window_seconds}",
    }
