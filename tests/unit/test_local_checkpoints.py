"""Stream positions shared by the stack's runner processes (infra/local/checkpoints.py)."""

from __future__ import annotations

import json
from pathlib import Path

from infra.local.checkpoints import Checkpoints


def test_two_runners_saving_to_one_file_keep_each_others_positions(tmp_path: Path) -> None:
    # GIVEN two runners (each its own process in the stack) that loaded the file when it was empty
    path = tmp_path / "stream-checkpoints.json"
    events, realtime = Checkpoints(path), Checkpoints(path)
    # WHEN each saves its consumers' positions, in turns
    events.save("workflows", "shard-1", "100")
    realtime.save("realtime", "shard-1", "90")
    events.save("workflows", "shard-1", "120")
    # THEN the file holds both, the newest of each, and a restarted runner resumes from them
    assert json.loads(path.read_text()) == {"workflows/shard-1": "120", "realtime/shard-1": "90"}
    assert Checkpoints(path).get("realtime", "shard-1") == "90"
