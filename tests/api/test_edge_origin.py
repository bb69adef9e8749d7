"""Deployed, the API answers only requests CloudFront forwarded (they carry the stage's origin-verify value)."""

from __future__ import annotations

from chalicelib.api.response_headers import ORIGIN_VERIFY_HEADER
from tests.api.client import ApiClient, Workspace
from tests.api.notifications_support import overridden_settings

VALUE = "s3cr3t-value-only-cloudfront-knows-0123456789"


def test_a_request_around_cloudfront_is_refused_and_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("admin")
    with overridden_settings(PULSEDESK_ORIGIN_VERIFY=VALUE):
        direct = api.post("/views", {"name": "direct", "filters": {}}, token)
        wrong = api.get("/me", token, headers={ORIGIN_VERIFY_HEADER: "guess"})
        through_edge = api.get("/me", token, headers={ORIGIN_VERIFY_HEADER: VALUE})
    assert direct.status == 403 and wrong.status == 403
    assert direct.headers["Content-Type"] == "application/problem+json"
    assert direct.headers["Cache-Control"] == "no-store"
    assert through_edge.status == 200
    assert all(view["name"] != "direct" for view in api.get("/views", token).body["items"])


def test_the_local_stack_and_tests_set_no_value_and_are_not_checked(api: ApiClient, workspace: Workspace) -> None:
    assert api.get("/me", workspace.token("admin")).status == 200


def test_a_socket_opened_around_cloudfront_is_refused() -> None:
    from app import ws_connect

    class Event:
        connection_id = "c1"

        def to_dict(self) -> dict[str, object]:
            return {"headers": {"Host": "abc.execute-api.us-east-1.amazonaws.com"}, "queryStringParameters": {}}

    with overridden_settings(PULSEDESK_ORIGIN_VERIFY=VALUE):
        assert ws_connect.func(Event()) == {"statusCode": 403}  # type: ignore[attr-defined]
