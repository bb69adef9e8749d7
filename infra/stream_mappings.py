"""What a stream mapping sets beyond Chalice's batch size, for AWS (``infra/aws/merge.py``) and the local runner
(``infra/local/events.py``) alike.

``PARALLELIZATION_FACTOR`` is Lambda's setting of that name: a shard's records are shared among that many
concurrent batches by partition key, so the records of one item (one ticket: its partition key) stay in order,
while different tickets are handled side by side. A consumer is listed only when its handler is safe for that:
the workflows handler is (its writes are conditional or commutative, and a lost race is retried); the realtime
and metrics consumers keep one batch at a time (pushes in write order; rollup transactions that would conflict).
"""

from __future__ import annotations

PARALLELIZATION_FACTOR: dict[str, int] = {"workflows": 4}


def parallelization_factor(handler_name: str) -> int:
    return PARALLELIZATION_FACTOR.get(handler_name, 1)
