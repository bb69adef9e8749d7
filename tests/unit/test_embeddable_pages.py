"""Which pages a customer's site may frame: the public web form only."""

from __future__ import annotations

import pytest

from infra.security_headers import EMBEDDABLE_PAGE, embeddable_security_headers, security_headers

POLICY = "default-src 'self'; frame-ancestors 'none'"


@pytest.mark.parametrize("path", ["/portal/acme/new", "/portal/acme-2/new/", "/portal/a1/new"])
def test_the_web_form_is_embeddable(path: str) -> None:
    assert EMBEDDABLE_PAGE.match(path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tickets/new",
        "/portal/acme",
        "/portal/acme/sign-in",
        "/portal/acme/new/x",
        "/portal/acme/requests/new",
        "/portal/Acme/new",
        "/portal//new",
        "/x/portal/acme/new",
    ],
)
def test_nothing_else_is(path: str) -> None:
    assert not EMBEDDABLE_PAGE.match(path)


def test_the_embeddable_headers_allow_any_ancestor_and_drop_x_frame_options() -> None:
    headers = embeddable_security_headers(POLICY)
    assert headers["Content-Security-Policy"] == "default-src 'self'; frame-ancestors *"
    assert "X-Frame-Options" not in headers
    assert security_headers(POLICY)["X-Frame-Options"] == "DENY"
