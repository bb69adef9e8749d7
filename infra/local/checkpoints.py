"""Where each stream consumer stopped, kept on disk, so a restarted stack resumes like an existing
Lambda event source mapping does (only a new mapping starts at LATEST)."""

from __future__ import annotations

import json
import threading
from pathlib import Path


class Checkpoints:
    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._positions: dict[str, str] = json.loads(path.read_text()) if path and path.exists() else {}

    def get(self, consumer: str, shard_id: str) -> str | None:
        return self._positions.get(f"{consumer}/{shard_id}")

    def save(self, consumer: str, shard_id: str, sequence_number: str) -> None:
        if self._path is None:
            return
        with self._lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._positions[f"{consumer}/{shard_id}"] = sequence_number
            temporary = self._path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self._positions))
            temporary.replace(self._path)
