"""The headers every API answer carries, defined once for the app, the local front and the edge.

API answers are per-caller data: no cache (browser, proxy or CDN) may keep them (``no-store``, which
also covers token responses), and no browser may sniff a JSON error into HTML (``nosniff``).
"""

from __future__ import annotations

from typing import Final

API_RESPONSE_HEADERS: Final[dict[str, str]] = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
