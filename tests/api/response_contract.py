"""Every answer of every API test is checked against its route's declared response model.

The route layer already refuses (500, logged) an answer that does not fit the model; this names the
route and the mismatch in the failing test instead of leaving a bare 500 to puzzle over, and fails
even a test that did not look at the status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from chalicelib.api import routing


@dataclass
class ResponseContract:
    """The answers checked during one test, and those that did not fit."""

    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def wrap(self, serialised: Callable[[Any, type[BaseModel] | None], Any]) -> Callable[..., Any]:
        def checking(body: Any, declared: type[BaseModel] | None) -> Any:
            name = declared.__name__ if declared is not None else "undeclared"
            try:
                answer = serialised(body, declared)
            except routing.ResponseContractError as error:
                self.violations.append(f"{name}: {error}")
                raise
            self.checked.append(name)
            return answer

        return checking
