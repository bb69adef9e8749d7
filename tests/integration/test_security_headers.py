"""The local front serves the security headers CloudFront's response-headers policies add in production:
pages and API answers alike (both come from infra/security_headers.py, as do the CloudFront policies)."""

from __future__ import annotations

import urllib.error
import urllib.request

from infra.local.stack import LocalStack
from infra.security_headers import API_CSP, HSTS, REFERRER_POLICY


def _headers(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_pages_and_api_answers_carry_the_security_headers(local_stack: LocalStack) -> None:
    for path in ("/", "/tickets/abc"):
        status, headers = _headers(local_stack.base_url + path)
        assert status == 200, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["Strict-Transport-Security"] == HSTS
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == REFERRER_POLICY
    for path in ("/api/v1/health", "/api/v1/me", "/api/v1/no-such-route"):
        status, headers = _headers(local_stack.base_url + path)
        assert status in (200, 401, 404), path
        assert headers["Content-Security-Policy"] == API_CSP, path
        assert headers["Strict-Transport-Security"] == HSTS
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == REFERRER_POLICY
        assert headers["Cache-Control"] == "no-store"


def test_only_the_public_web_form_may_be_framed(local_stack: LocalStack) -> None:
    # the widget's iframe: the web form of any workspace, framable by any site
    for path in ("/portal/acme/new", "/portal/acme/new?embed=1"):
        status, headers = _headers(local_stack.base_url + path)
        assert status == 200, path
        assert "frame-ancestors *" in headers["Content-Security-Policy"], path
        assert "X-Frame-Options" not in headers, path
    # everything else, the agents' app and the rest of the portal, stays unframeable
    for path in ("/", "/tickets/abc", "/portal/acme", "/portal/acme/sign-in", "/portal/acme/new/x", "/widget.js"):
        status, headers = _headers(local_stack.base_url + path)
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY", path
