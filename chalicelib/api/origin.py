"""Requests reach the app only through CloudFront: the execute-api endpoints refuse the rest.

CloudFront adds ``ORIGIN_VERIFY_HEADER`` with a secret value to every request it forwards; API Gateway's
default endpoints stay reachable on the internet, so a request without the value went around CloudFront's
WAF and security headers and is answered 403. The local stack sets no value and is not checked.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from chalicelib.api.response_headers import ORIGIN_VERIFY_HEADER
from chalicelib.settings import get_settings


def came_through_the_edge(headers: Mapping[str, str]) -> bool:
    expected = get_settings().origin_verify
    if not expected:
        return True
    wanted = ORIGIN_VERIFY_HEADER.lower()
    sent = next((value for name, value in headers.items() if name.lower() == wanted), "")
    return hmac.compare_digest(sent.encode(), expected.encode())
