"""Request models of the first-run checklist."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.api.schemas import WHOLE_NUMBER, Input
from chalicelib.domain.onboarding import SAMPLE_TICKETS

MAX_SAMPLES = len(SAMPLE_TICKETS)


class OnboardingMarkIn(Input):
    done: bool = Field(description="true marks the step done (reviewed, set up); false takes the mark back")


class OnboardingDismissIn(Input):
    dismissed: bool = Field(description="true hides the checklist for the whole workspace; false brings it back")


class SampleTicketsIn(Input):
    count: Annotated[int, Field(ge=1, le=MAX_SAMPLES), WHOLE_NUMBER] = Field(
        description=f"How many sample tickets to add (1-{MAX_SAMPLES})"
    )
