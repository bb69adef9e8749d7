"""What one ticket change adds to the team's daily rollups. Pure code.

The stream consumer and the rebuild job both call ``fold`` with the ticket as it was before and
after one change: the consumer takes both from the stream images, the rebuild job reconstructs
them from the ticket's history. One function for both is what makes "rebuild = incremental" true.

A change counts on the day it happened in the workspace's time zone, once for the whole workspace
and once per dimension value of the ticket after the change: its agent (``none`` when unassigned),
queue, priority, channel, each tag, and its queue and priority together (the one combination of
filters the Performance page offers). So "solved per agent" credits whoever owned the ticket when it
was solved.

Every item also carries what the report would otherwise read another dimension for: solved per agent
(``a_<agent>``), new tickets per tag (``t_<tag>``) and first responses per priority (``frt_<priority>``).
A 30-day report then reads the workspace's items (or the filtered value's) and the words, not the
hundreds of agent, tag and priority items; those dimensions are read only to group by them. Ticket-id
sets live on an item of their own (``ids``), so the workspace item is small enough to read whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property

from chalicelib.domain.clock import from_text
from chalicelib.domain.histogram import bucket_of
from chalicelib.domain.search_text import normalise
from chalicelib.domain.sla import DEFAULT_TARGETS
from chalicelib.domain.ticket_change import FieldChange
from chalicelib.domain.tickets import OPEN_STATUSES, SPAM_TAG

DIMENSIONS = ("agent", "queue", "priority", "channel", "tag")
ALL = "all"
WORDS = "words"
IDS = "ids"
# queue and priority together, value ``<queue>|<priority>``: a filter on both is one item per day
QUEUE_PRIORITY = "queue_priority"
# every partition the rollups are kept in: what the rebuild job replaces and the month job sums
STORED_DIMENSIONS = (ALL, WORDS, IDS, *DIMENSIONS, QUEUE_PRIORITY)
PRIORITIES = ("urgent", "high", "normal", "low")
NO_AGENT = "none"
RESOLVED_WITHIN = timedelta(hours=24)

# Counters every rollup item may carry (absent = 0).
COUNTERS = (
    "created",
    "solved",
    "reopened",
    "first_responses",
    "resolved_24h",
    "replies",
    "sla_first_response_met",
    "sla_first_response_breached",
    "sla_resolution_met",
    "sla_resolution_breached",
    "sla_next_reply_met",
    "sla_next_reply_breached",
    "csat_good",
    "csat_bad",
    *(f"first_responses_{p}" for p in PRIORITIES),
)
# Duration histograms: first response and resolution, in calendar and business seconds, and first
# response (calendar) per priority.
HISTOGRAMS = ("frt_cal", "frt_bus", "res_cal", "res_bus", *(f"frt_{p}" for p in PRIORITIES))
# The counter each histogram observes one value per count of: a packed histogram whose total falls
# short of its counter has flat buckets beside it.
HISTOGRAM_COUNTS = {
    "frt_cal": "c_first_responses",
    "frt_bus": "c_first_responses",
    "res_cal": "c_solved",
    "res_bus": "c_solved",
    **{f"frt_{p}": f"c_first_responses_{p}" for p in PRIORITIES},
}
# Ticket ids kept per measure on the day's ``ids`` item, so "which 12 tickets breached?" is one read.
ID_SETS = (
    "created",
    "solved",
    "reopened",
    "sla_first_response_breached",
    "sla_resolution_breached",
    "sla_next_reply_breached",
)

STOP_WORDS = frozenset(
    """
    a about above after again all am an and any are as at be because been before being below between
    both but by can cannot could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor not
    now of off on once only or other our ours out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours get got cant dont doesnt isnt
    wont im ive re hi hello please thanks thank help issue problem question need regarding
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_WORD = re.compile(r"[^\W\d_]{3,30}")
MAX_SUBJECT_WORDS = 12


@dataclass(frozen=True)
class TicketFacts:
    """The ticket fields the metrics read, as they were at one moment."""

    ticket_id: str
    status: str
    priority: str
    assignee_id: str | None
    queue: str
    tags: tuple[str, ...]
    channel: str
    subject: str
    created_at: datetime
    first_response_at: datetime | None = None
    # The SLA deadlines the policy set (pause-adjusted), where the ticket carries them; without them the
    # default targets of the ticket's priority decide met or breached.
    first_response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None


@dataclass(frozen=True)
class Happening:
    """What one change did, as the stream record and the history entry both tell it."""

    at: datetime
    fields: tuple[FieldChange, ...]
    agent_public_reply: bool = False


@dataclass(frozen=True)
class Dimension:
    name: str  # all, words, or one of DIMENSIONS
    value: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}#{self.value}"


@dataclass
class RollupDelta:
    """Everything one change adds to one day: counters, histogram buckets and ticket ids go to every
    dimension listed; subject words only to the day's ``words`` item."""

    day: date
    dimensions: tuple[Dimension, ...]
    counters: dict[str, int] = field(default_factory=dict)
    buckets: dict[str, dict[int, int]] = field(default_factory=dict)
    ticket_ids: dict[str, str] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    # solved per agent (``a_<agent>``) and new per tag (``t_<tag>``), added to every dimension item
    per_value: dict[str, int] = field(default_factory=dict)
    # what the change did to the live backlog (open, unassigned) of each scope it left or entered: not
    # a day's figure, so the rebuild job (which recounts the backlog from the tickets) never reads it
    backlog: dict[Dimension, dict[str, int]] = field(default_factory=dict)

    def count(self, name: str, times: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + times

    def count_value(self, attr: str) -> None:
        self.per_value[attr] = self.per_value.get(attr, 0) + 1

    def observe(self, histogram: str, seconds: float) -> None:
        bucket = bucket_of(seconds)
        row = self.buckets.setdefault(histogram, {})
        row[bucket] = row.get(bucket, 0) + 1

    @property
    def empty(self) -> bool:
        return not (self.counters or self.buckets or self.words or self.backlog)

    @property
    def adds_to_days(self) -> bool:
        return bool(self.counters or self.buckets or self.words)


BusinessSeconds = Callable[[datetime, datetime], int]


def calendar_seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def queue_priority(queue: str, priority: str) -> str:
    return f"{queue}|{priority}"


def dimensions_of(ticket: TicketFacts) -> tuple[Dimension, ...]:
    dims = [
        Dimension(ALL),
        Dimension("agent", ticket.assignee_id or NO_AGENT),
        Dimension("queue", ticket.queue),
        Dimension("priority", ticket.priority),
        Dimension("channel", ticket.channel),
        Dimension(QUEUE_PRIORITY, queue_priority(ticket.queue, ticket.priority)),
    ]
    dims += [Dimension("tag", tag) for tag in sorted(set(ticket.tags))]
    return tuple(dims)


def subject_words(subject: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for word in _WORD.findall(normalise(subject)):
        if word not in STOP_WORDS and word not in found and len(found) < MAX_SUBJECT_WORDS:
            found[word] = 1
    return found


def fold(
    before: TicketFacts | None,
    after: TicketFacts,
    happening: Happening,
    business_seconds: BusinessSeconds = calendar_seconds,
    zone: tzinfo = UTC,
) -> RollupDelta | None:
    """What the change adds to its day's rollups (the day in ``zone``, the workspace's time zone), or
    None when it adds nothing."""
    delta = RollupDelta(happening.at.astimezone(zone).date(), dimensions_of(after))
    delta.backlog = backlog_change(before, after)
    changed = {f.field: f for f in happening.fields}
    if before is None or "created" in changed:
        delta.count("created")
        delta.ticket_ids["created"] = after.ticket_id
        delta.words = subject_words(after.subject)
        for tag in sorted(set(after.tags)):
            delta.count_value(tag_attr(tag))
    status = changed.get("status")
    if status is not None and status.after == "solved" and status.before != "solved":
        _solved(delta, after, happening.at, business_seconds)
    if status is not None and status.before in ("solved", "closed") and status.after not in ("solved", "closed"):
        delta.count("reopened")
        delta.ticket_ids["reopened"] = after.ticket_id
    responded = changed.get("first_response_at")
    if responded is not None and responded.before is None and after.first_response_at is not None:
        _first_response(delta, after, after.first_response_at, business_seconds)
    if happening.agent_public_reply:
        delta.count("replies")
        awaited = changed.get("next_reply_due_at")
        if awaited is not None and awaited.before:
            # the requester's message was waiting: this reply meets or misses its next-reply target
            _sla(delta, "sla_next_reply", happening.at <= from_text(str(awaited.before)), after.ticket_id)
    rated = changed.get("csat")
    if rated is not None:
        _rated(delta, rated)
    return None if delta.empty else delta


# --- the live backlog, kept as counters ------------------------------------------------------------

# The backlog's counted figures and the scopes they are kept for: the filters the Performance page
# offers (a channel included). "At risk" and "breached" move with the clock, not with changes: they are
# counted on the SLA index when read.
BACKLOG_FIGURES = ("open", "unassigned")
BACKLOG_DIMENSIONS = (ALL, "queue", "priority", "channel", QUEUE_PRIORITY)


def backlog_scopes(ticket: TicketFacts) -> tuple[Dimension, ...]:
    return tuple(d for d in dimensions_of(ticket) if d.name in BACKLOG_DIMENSIONS)


def backlog_counts(ticket: TicketFacts) -> dict[str, int]:
    """What one ticket counts in its scopes' backlog: open (unsolved, not held as spam), and
    unassigned when nobody owns it."""
    if ticket.status not in OPEN_STATUSES or SPAM_TAG in ticket.tags:  # held spam is in no backlog
        return {}
    return {"open": 1, "unassigned": 1} if ticket.assignee_id is None else {"open": 1}


def backlog_change(before: TicketFacts | None, after: TicketFacts) -> dict[Dimension, dict[str, int]]:
    """The backlog counters one change moves: the ticket leaves its former scopes' counts and enters
    its new ones (a queue change moves an open ticket from one queue's backlog to another's)."""
    moved: dict[Dimension, dict[str, int]] = {}
    sides = [(after, 1)] if before is None else [(before, -1), (after, 1)]
    for ticket, sign in sides:
        counts = backlog_counts(ticket)
        for dim in backlog_scopes(ticket) if counts else ():
            row = moved.setdefault(dim, {})
            for name, n in counts.items():
                row[name] = row.get(name, 0) + sign * n
    return {dim: {k: n for k, n in row.items() if n} for dim, row in moved.items() if any(row.values())}


def backlog_of(tickets: Iterable[TicketFacts]) -> dict[Dimension, dict[str, int]]:
    """The backlog counters recounted from the tickets themselves (the rebuild's side of "rebuild =
    incremental")."""
    counted: dict[Dimension, dict[str, int]] = {}
    for ticket in tickets:
        for dim, row in backlog_change(None, ticket).items():
            into = counted.setdefault(dim, {})
            for name, n in row.items():
                into[name] = into.get(name, 0) + n
    return counted


def _solved(delta: RollupDelta, ticket: TicketFacts, at: datetime, business_seconds: BusinessSeconds) -> None:
    delta.count("solved")
    delta.ticket_ids["solved"] = ticket.ticket_id
    if ticket.assignee_id:
        delta.count_value(agent_attr(ticket.assignee_id))
    delta.observe("res_cal", calendar_seconds(ticket.created_at, at))
    delta.observe("res_bus", business_seconds(ticket.created_at, at))
    if at - ticket.created_at <= RESOLVED_WITHIN:
        delta.count("resolved_24h")
    due = ticket.resolution_due_at or ticket.created_at + DEFAULT_TARGETS[ticket.priority].resolution
    _sla(delta, "sla_resolution", at <= due, ticket.ticket_id)


def _rated(delta: RollupDelta, rated: FieldChange) -> None:
    """The last answer counts: a changed rating takes its earlier answer back (on the day it changes,
    so a period holding both days counts the ticket once, as its latest answer)."""
    if rated.before == rated.after:
        return  # only the comment changed
    if rated.before in ("good", "bad"):
        delta.count(f"csat_{rated.before}", -1)
    if rated.after in ("good", "bad"):
        delta.count(f"csat_{rated.after}")


def _first_response(delta: RollupDelta, ticket: TicketFacts, at: datetime, business_seconds: BusinessSeconds) -> None:
    delta.count("first_responses")
    delta.count(f"first_responses_{ticket.priority}")
    delta.observe("frt_cal", calendar_seconds(ticket.created_at, at))
    delta.observe(f"frt_{ticket.priority}", calendar_seconds(ticket.created_at, at))
    delta.observe("frt_bus", business_seconds(ticket.created_at, at))
    due = ticket.first_response_due_at or ticket.created_at + DEFAULT_TARGETS[ticket.priority].first_response
    _sla(delta, "sla_first_response", at <= due, ticket.ticket_id)


def _sla(delta: RollupDelta, target: str, met: bool, ticket_id: str) -> None:
    if met:
        delta.count(f"{target}_met")
    else:
        delta.count(f"{target}_breached")
        delta.ticket_ids[f"{target}_breached"] = ticket_id


# --- the rollup as stored: flat counters, so one UpdateItem ADDs a whole change --------------------


def counter_attr(name: str) -> str:
    return f"c_{name}"


def bucket_attr(histogram: str, bucket: int) -> str:
    return f"h_{histogram}_{'z' if bucket < 0 else bucket}"


def ids_attr(measure: str) -> str:
    return f"ids_{measure}"


def ids_dimension(ticket_id: str) -> Dimension:
    """The item of a day's ticket ids that holds this one: one of 16, by the id's first character. In one item,
    a busy day (a flood of mail, a bulk import: ~10,000 tickets created and solved) passed DynamoDB's 400 KB per
    item, and every batch that touched it was refused whole; sixteen hold ~180,000 tickets a day."""
    return Dimension(IDS, ticket_id[:1])


def word_attr(word: str) -> str:
    return f"w_{word}"


def agent_attr(agent_id: str) -> str:
    return f"a_{agent_id}"


def tag_attr(tag: str) -> str:
    return f"t_{tag}"


def additions(delta: RollupDelta) -> dict[str, int]:
    """The numeric attributes a change adds to each of its dimension items."""
    added = {counter_attr(name): n for name, n in delta.counters.items()}
    added.update(delta.per_value)
    for histogram, buckets in delta.buckets.items():
        for bucket, n in buckets.items():
            added[bucket_attr(histogram, bucket)] = n
    return added


def packed_attr(histogram: str) -> str:
    return f"p_{histogram}"


def pack_buckets(buckets: Mapping[int, int]) -> str:
    """One histogram as one string attribute, ``bucket:count`` pairs (``-1`` the zero bucket): an item
    of a closed day decodes a few attributes instead of one per bucket."""
    return ",".join(f"{bucket}:{n}" for bucket, n in sorted(buckets.items()) if n)


# A closed item's numbers (counters, solved per agent, new per tag, words) in one JSON attribute, as the
# rebuild and the month and week jobs write them: botocore parses every attribute value of a response
# shape by shape, and a workspace item of a few dozen numbers cost more to parse than the rest of its
# report. The consumer's ADDs to a closed item (a late change) land beside it as flat numbers and add up.
PACKED_NUMBERS = "numbers"


def pack_numbers(numbers: Mapping[str, int]) -> str:
    return json.dumps({name: n for name, n in sorted(numbers.items()) if n}, separators=(",", ":"))


def unpack_numbers(text: str) -> dict[str, int]:
    return {str(name): int(n) for name, n in json.loads(text).items()}


def unpack_buckets(text: str) -> dict[int, int]:
    buckets: dict[int, int] = {}
    for pair in text.split(",") if text else ():
        bucket, _, n = pair.partition(":")
        buckets[int(bucket)] = int(n)
    return buckets


class PackedHistograms(Mapping[str, dict[int, int]]):
    """A stored item's packed histograms (``p_<histogram>`` texts, by histogram), each decoded the
    first time it is asked for: a report reads eight histograms of the period's items but two or three
    of the comparison's, and decoding the rest was a fifth of a request's own work."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = dict(texts)
        self._decoded: dict[str, dict[int, int]] = {}

    def __getitem__(self, name: str) -> dict[int, int]:
        found = self._decoded.get(name)
        if found is None:
            found = self._decoded[name] = unpack_buckets(self._texts[name])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def buckets_elsewhere(rollup: DayRollup, histograms: Iterable[str] | None = None) -> bool:
    """True when the item, read with its counters and packed histograms only, holds values in flat
    bucket attributes too: a packed histogram (of ``histograms``, all by default) counts fewer values
    than its counter."""
    names = HISTOGRAM_COUNTS if histograms is None else {h: HISTOGRAM_COUNTS[h] for h in histograms}
    return any(
        sum(rollup.packed.get(histogram, {}).values()) < rollup.figures.get(counter, 0)
        for histogram, counter in names.items()
    )


def parse_bucket_attr(name: str) -> tuple[str, int] | None:
    if not name.startswith("h_"):
        return None
    histogram, _, bucket = name[2:].rpartition("_")
    return histogram, (-1 if bucket == "z" else int(bucket))


def merge_additions(into: dict[str, int], more: Mapping[str, int]) -> None:
    for name, n in more.items():
        into[name] = into.get(name, 0) + n


@dataclass
class DayRollup:
    """One stored rollup item: its day, dimension and value, numeric figures (counters, words, and the
    histogram buckets the consumer ADDed one attribute each), histograms kept packed (``packed``: what
    the rebuild job wrote for a closed day) and ticket-id sets. An item may hold both forms: a change
    delivered after the day was rebuilt adds flat buckets beside the packed ones, and they add up."""

    day: date
    dimension: str
    value: str
    figures: dict[str, int] = field(default_factory=dict)
    id_sets: dict[str, set[str]] = field(default_factory=dict)
    packed: Mapping[str, dict[int, int]] = field(default_factory=dict)

    @cached_property
    def counters(self) -> dict[str, int]:
        return {attr: int(n) for attr, n in self.figures.items() if attr.startswith("c_")}

    def per(self, prefix: str) -> dict[str, int]:
        """Counts per agent (``a_``), tag (``t_``) or word (``w_``), by name."""
        return {attr[2:]: int(n) for attr, n in self.figures.items() if attr.startswith(prefix) and n}

    @cached_property
    def histograms(self) -> dict[str, dict[int, int]]:
        """Packed and flat buckets added up, parsed once (a report reads an item many times)."""
        return {name: self.histogram(name) for name in {*self.packed, *self._flat}}

    @cached_property
    def _flat(self) -> dict[str, dict[int, int]]:
        """The buckets the consumer ADDed one attribute each, by histogram."""
        parsed: dict[str, dict[int, int]] = {}
        for attr, n in self.figures.items():
            bucket = parse_bucket_attr(attr)
            if bucket is not None:
                row = parsed.setdefault(bucket[0], {})
                row[bucket[1]] = row.get(bucket[1], 0) + int(n)
        return parsed

    def histogram(self, name: str) -> dict[int, int]:
        """One histogram, packed and flat buckets added up; the others stay undecoded."""
        packed, flat = self.packed.get(name), self._flat.get(name)
        if flat is None:
            return packed if packed is not None else {}
        if packed is None:
            return flat
        merged = dict(packed)
        for bucket, n in flat.items():
            merged[bucket] = merged.get(bucket, 0) + n
        return merged

    @property
    def totals(self) -> tuple[dict[str, int], dict[str, dict[int, int]], dict[str, set[str]]]:
        """What the item counts, whichever form its histograms are stored in: counters and words,
        histograms, ticket ids (how "rebuild = incremental" compares a rebuilt item with a live one)."""
        plain = {attr: int(n) for attr, n in self.figures.items() if n and parse_bucket_attr(attr) is None}
        histograms = {name: {b: n for b, n in row.items() if n} for name, row in self.histograms.items()}
        return plain, {name: row for name, row in histograms.items() if row}, self.id_sets


def summed(day: date, dimension: str, value: str, rows: Iterable[DayRollup]) -> DayRollup:
    """Items of one dimension value added up into one (a closed month of days): numbers add, histograms
    merge (kept packed), id sets join."""
    figures: dict[str, int] = {}
    packed: dict[str, dict[int, int]] = {}
    id_sets: dict[str, set[str]] = {}
    for row in rows:
        plain, histograms, ids = row.totals
        merge_additions(figures, plain)
        for name, buckets in histograms.items():
            into = packed.setdefault(name, {})
            for bucket, n in buckets.items():
                into[bucket] = into.get(bucket, 0) + n
        for name, members in ids.items():
            id_sets.setdefault(name, set()).update(members)
    return DayRollup(day, dimension, value, figures, id_sets, packed)


@dataclass
class Accumulated:
    """What a set of changes adds to one rollup item: its stored attributes."""

    figures: dict[str, int] = field(default_factory=dict)
    id_sets: dict[str, set[str]] = field(default_factory=dict)


def accumulate(deltas: Iterable[RollupDelta]) -> dict[tuple[date, Dimension], Accumulated]:
    """The rollup items a set of changes produces, as the consumer stores them one change at a time."""
    items: dict[tuple[date, Dimension], Accumulated] = {}
    for delta in deltas:
        added = additions(delta)
        for dim in delta.dimensions if added else ():
            item = items.setdefault((delta.day, dim), Accumulated())
            merge_additions(item.figures, added)
        for measure, ticket_id in delta.ticket_ids.items():
            ids = items.setdefault((delta.day, ids_dimension(ticket_id)), Accumulated())
            ids.id_sets.setdefault(ids_attr(measure), set()).add(ticket_id)
        if delta.words:
            words = items.setdefault((delta.day, Dimension(WORDS)), Accumulated())
            merge_additions(words.figures, {word_attr(w): n for w, n in delta.words.items()})
    return items
