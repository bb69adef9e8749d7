"""One Chalice stage as the generator sees it: names, environment and the loaded app.

The app is imported with the stage's environment variables applied first, so table and queue names
computed at import (``physical_table_name``) are the names the deployed functions will use.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHALICE_CONFIG = PROJECT_DIR / ".chalice" / "config.json"

# Set by the deployed template itself (resolved from resources and parameters), never by the stage config.
_DEPLOY_TIME_VARIABLES = ("PULSEDESK_MAIN_STREAM_ARN", "PULSEDESK_WS_MANAGEMENT_ENDPOINT")


@dataclass(frozen=True)
class Stage:
    name: str
    app_name: str
    environment: dict[str, str]

    @property
    def table_prefix(self) -> str:
        return self.environment.get("PULSEDESK_TABLE_PREFIX", f"{self.app_name}-{self.name}-")

    @property
    def resource_prefix(self) -> str:
        """Prefix of every physical name this stage owns (functions, queues, log groups...)."""
        return f"{self.app_name}-{self.name}"

    @cached_property
    def app(self) -> Any:
        """The Chalice app object, imported once under this stage's environment."""
        self.apply_environment()
        if str(PROJECT_DIR) not in sys.path:
            sys.path.insert(0, str(PROJECT_DIR))
        return importlib.import_module("app").app

    @property
    def settings(self) -> Any:
        """The app's settings as the deployed functions read them (the app imported first)."""
        self.app  # noqa: B018 - importing the app applies the stage environment first
        from chalicelib.settings import get_settings

        return get_settings()

    def apply_environment(self) -> None:
        for name in [n for n in os.environ if n.startswith("PULSEDESK_")]:
            del os.environ[name]
        os.environ.update(self.environment)


def load_stage(name: str, config_path: Path = CHALICE_CONFIG) -> Stage:
    config = json.loads(config_path.read_text())
    if name not in config.get("stages", {}):
        raise SystemExit(f"stage {name!r} is not in {config_path}")
    environment = {**config.get("environment_variables", {}), **config["stages"][name].get("environment_variables", {})}
    for variable in _DEPLOY_TIME_VARIABLES:
        environment.pop(variable, None)
    return Stage(name=name, app_name=config["app_name"], environment=environment)


def pascal(name: str) -> str:
    """``pulsedesk-prod-notifications`` style names to a CloudFormation logical id part."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)
