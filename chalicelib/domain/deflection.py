"""Deflection: when a help-centre article counts as having answered a request. Pure code.

A *session* is one visit to a new-request form (the portal's or the widget's), named by a random id
the page makes. Its funnel has three steps, each counted at most once per session:

- **suggested**: the form showed at least one matching article while the visitor typed;
- **opened**: the visitor opened one of the suggested articles;
- **submitted**: the visitor sent the request anyway — counted only for sessions that opened an
  article, on the day they opened it.

A **deflection** is a session that opened a suggested article and did not submit:
``deflected = opened - submitted_after_open``, per day. A session that submits later than that day's
figures were read lowers the figure when it arrives, so recent days can still move down; a session
never seen to submit (the visitor left) stays deflected.
"""

from __future__ import annotations

from typing import Literal

FunnelStep = Literal["suggested", "opened", "submitted"]
STEPS: tuple[FunnelStep, ...] = ("suggested", "opened", "submitted")


def deflected(opened: int, submitted_after_open: int) -> int:
    return max(0, opened - submitted_after_open)
