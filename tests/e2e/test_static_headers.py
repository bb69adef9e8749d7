"""The local front serves the app with the headers CloudFront adds in production."""

from __future__ import annotations

import re

import requests

from infra.local.stack import REPO_ROOT, LocalStack

META_POLICY = re.search(
    r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', (REPO_ROOT / "frontend" / "index.html").read_text()
)


def test_pages_config_and_assets_carry_security_and_cache_headers(stack: LocalStack) -> None:
    assert META_POLICY is not None
    index = requests.get(f"{stack.base_url}/", timeout=10)
    deep_link = requests.get(f"{stack.base_url}/tickets/abc", timeout=10)
    config = requests.get(f"{stack.base_url}/config.json", timeout=10)
    asset_path = re.search(r'src="(/assets/[^"]+\.js)"', index.text)
    assert asset_path is not None
    asset = requests.get(stack.base_url + asset_path.group(1), timeout=10)

    for answer in (index, deep_link, config, asset):
        assert answer.status_code == 200
        assert answer.headers["Content-Security-Policy"] == f"{META_POLICY.group(1)}; frame-ancestors 'none'"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"
    assert index.headers["Cache-Control"] == "no-cache"
    assert deep_link.headers["Cache-Control"] == "no-cache"
    assert config.headers["Cache-Control"] == "no-cache"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert requests.get(f"{stack.base_url}/assets/missing.js", timeout=10).status_code == 404
