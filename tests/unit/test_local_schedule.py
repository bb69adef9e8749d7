"""The local event runner runs a schedule at the rate the app declared, as EventBridge does."""

from __future__ import annotations

from chalice.app import Rate

from infra.local.events import DEFAULT_SCHEDULE_SECONDS, rate_seconds


def test_a_rate_expression_gives_the_interval() -> None:
    assert rate_seconds(Rate(5, unit=Rate.MINUTES)) == 300.0
    assert rate_seconds("rate(1 hour)") == 3600.0
    assert rate_seconds("rate(2 days)") == 172800.0


def test_a_cron_expression_runs_at_the_default_interval() -> None:
    assert rate_seconds("cron(0 12 * * ? *)") == DEFAULT_SCHEDULE_SECONDS
