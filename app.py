"""Pulsedesk's composition root: the Chalice app, its routes and its event handlers."""

from __future__ import annotations

from chalice import Chalice

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import register_routers

app = Chalice(app_name="pulsedesk")
register_routers(app, ROUTERS)
