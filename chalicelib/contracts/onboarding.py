"""Answers of the first-run checklist."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import Output
from chalicelib.domain.onboarding import StepId


class OnboardingStepOut(Output):
    id: StepId
    title: str
    why: str = Field(description="What the step is for, in one sentence")
    link: str = Field(description="The app path of the page that does it")
    link_label: str
    done: bool = Field(description="Ticked from the workspace's state, or marked by an admin (markable steps)")
    done_because: str | None = Field(description="What ticked it, in words; null while not done")
    markable: bool = Field(description="Whether an admin may mark it done (PUT /onboarding/steps/{step})")


class OnboardingOut(Output):
    steps: list[OnboardingStepOut]
    done: int
    total: int
    dismissed: bool
    sample_ticket_count: int = Field(description="Sample tickets added and not yet removed")
