"""The security headers of every answer, defined once for CloudFront (production) and the local front.

Pages get the policy the app is built for (``frontend/index.html`` carries it as a ``<meta>``) plus what only a
header can say: no framing (``frame-ancestors``). API answers are JSON and never render: their policy allows
nothing. Both get HSTS, ``nosniff`` and a same-origin referrer.
"""

from __future__ import annotations

import re
from pathlib import Path

# The fallback when the index has no <meta> policy (the frontend is not built yet).
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss: https://*.amazonaws.com; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'"
)
HEADER_ONLY_CSP = "frame-ancestors 'none'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600
HSTS = f"max-age={HSTS_MAX_AGE_SECONDS}; includeSubDomains"
REFERRER_POLICY = "same-origin"
FRAME_OPTIONS = "DENY"  # for browsers that predate frame-ancestors
# The public web form is the one page a customer's site may frame (the widget's iframe): it shows no
# data and acts only after an emailed confirmation. Everything else, the agents' app first, stays unframeable.
EMBEDDABLE_PAGE = re.compile(r"^/portal/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?/new/?$")
EMBEDDABLE_PATH_PATTERN = "/portal/*/new"  # the same pages, as a CloudFront path pattern
EMBEDDABLE_FRAME_ANCESTORS = "frame-ancestors *"
# Static files: Vite puts a content hash in every name under assets/, so a name never changes content and may be
# kept for a year without asking again; everything else (index.html, config.json, widget.js) names the current
# build and is revalidated on every load. Set by the local front and, as S3 object metadata, by the deploy.
HASHED_ASSETS_DIR = "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

_CSP_META = re.compile(
    r"""<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL
)
INDEX_HTML = Path(__file__).resolve().parents[1] / "frontend" / "index.html"


def content_security_policy(index_html: str | None) -> str:
    """The <meta> policy of ``index_html`` (or the default) plus the directives only a header can carry."""
    match = _CSP_META.search(index_html or "")
    policy = " ".join(match.group(2).split()).rstrip("; ") if match else DEFAULT_CSP
    return f"{policy}; {HEADER_ONLY_CSP}"


def page_policy() -> str:
    """The pages' policy from the source index.html (the build keeps the <meta> as written)."""
    return content_security_policy(INDEX_HTML.read_text(encoding="utf-8") if INDEX_HTML.exists() else None)


def security_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "Strict-Transport-Security": HSTS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "X-Frame-Options": FRAME_OPTIONS,
    }


def embeddable_policy(policy: str) -> str:
    """The pages' policy with framing allowed from any site (for ``EMBEDDABLE_PAGE`` only)."""
    return policy.replace(HEADER_ONLY_CSP, EMBEDDABLE_FRAME_ANCESTORS)


def embeddable_security_headers(policy: str) -> dict[str, str]:
    """The security headers of the framable web form: no X-Frame-Options (it cannot say "anyone")."""
    headers = security_headers(embeddable_policy(policy))
    del headers["X-Frame-Options"]
    return headers


def api_security_headers() -> dict[str, str]:
    return security_headers(API_CSP)
