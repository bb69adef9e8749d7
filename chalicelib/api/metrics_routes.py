from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Router, TextReply
from chalicelib.api.schemas import MetricsQuery, MetricsTicketsQuery
from chalicelib.contracts.responses import MetricsOut, MetricsTicketsOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="metrics")
CSV = "text/csv"


@router.route(
    "/metrics",
    "GET",
    access=Permission.METRICS_READ,
    query=MetricsQuery,
    response=MetricsOut,
    also_answers=(CSV,),
    summary="The team's performance over a period against its goals (Accept: text/csv for a CSV)",
)
def team_metrics(call: Call[Any, MetricsQuery]) -> MetricsOut | TextReply:
    from chalicelib.services import metrics_report

    answer = metrics_report.team_metrics(call.principal, call.query.model_dump())
    if CSV in call.headers.get("accept", ""):
        return TextReply(metrics_report.metrics_csv(answer), f"{CSV}; charset=utf-8", "metrics.csv")
    return answer


@router.route(
    "/metrics/tickets",
    "GET",
    access=Permission.METRICS_READ,
    also_requires=(Permission.TICKETS_READ,),  # it lists the tickets themselves: subject, text, requester
    query=MetricsTicketsQuery,
    response=MetricsTicketsOut,
    summary="The tickets behind a figure of a period (e.g. which tickets breached their resolution target)",
)
def metrics_tickets(call: Call[Any, MetricsTicketsQuery]) -> MetricsTicketsOut:
    from chalicelib.services import metrics_report

    return metrics_report.metrics_tickets(call.principal, call.query.model_dump())
