"""What is read from a segment is cached per process by (segment id, …): segments never
change once written (deletions are applied from the segment's deleted set on every
query), so entries stay valid until a merge removes the segment (`forget_segments`)."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np

LOCK = threading.Lock()
COLUMNS: dict[tuple[str, str], object] = {}  # (segment id, what) → per-document values

POSTINGS_CACHE_BYTES = int(float(os.environ.get("SEARCH_POSTINGS_CACHE_MB", "48")) * 1024 * 1024)
JOINED: dict[tuple[tuple[str, ...], str], object] = {}  # (segment ids, what) → joined values


class _Recent:
    """Recently used values by (segment id, …) key, least recently used dropped first once
    their sizes (`size_of`, 1 each by default) pass `budget`; a value over a quarter of the
    budget is not kept. Segments never change their postings or terms, so entries stay valid
    until their segment is merged away (`forget`)."""

    def __init__(self, budget: int, size_of=lambda value: 1):
        self.budget = budget
        self.used = 0
        self._size_of = size_of
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        with LOCK:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        size = self._size_of(value)
        if size > self.budget // 4:
            return
        with LOCK:
            if key in self._items:
                return
            self._items[key] = value
            self.used += size
            while self.used > self.budget:
                _old, dropped = self._items.popitem(last=False)
                self.used -= self._size_of(dropped)

    def forget(self, live: set[str]) -> None:
        with LOCK:
            for key in [key for key in self._items if key[0] not in live]:
                self.used -= self._size_of(self._items.pop(key))


# Decoded posting arrays of recently used terms, per segment, within a byte budget: a frequent
# word is decoded once per process, not once per query.
POSTINGS = _Recent(POSTINGS_CACHE_BYTES, size_of=lambda arrays: sum(_held_bytes(array) for array in arrays))


def _held_bytes(array: np.ndarray) -> int:
    """Memory an array holds: nothing for a broadcast constant (weights of a presence-only field)."""
    return 0 if array.ndim == 1 and array.strides == (0,) else array.nbytes


NO_TERM = (0, -1, 0)
# (documents holding the term (0: none), offset and length of its posting list in the segment's
# postings, offset -1 when inlined in the entry or not on disk): a plain tuple, as thousands are kept.
TermEntry = tuple[int, int, int]
TERM_ENTRIES = 10_000  # a few dozen queries' words in every segment of a large index


# Term entries recently read, by (segment id, field, term). A search reads a word's entry in every
# segment twice (to find its postings, and for its document frequency when ranking), a hash lookup
# in the terms file each time. File handles are not kept: a segment's file may be reopened with another.
RECENT_TERM_ENTRIES = _Recent(TERM_ENTRIES)


def cached(key, build):
    value = COLUMNS.get(key)
    if value is None:
        value = build()
        with LOCK:
            COLUMNS[key] = value
    return value


def live_segments(searcher) -> set[str]:
    """The ids of the segments a searcher reads."""
    return {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()
            if hasattr(reader, "segment") and reader.segment() is not None}


def forget_segments(live: set[str]) -> None:
    """Drop what is cached for segments the index no longer has (merged away), and every
    joined array but those of the index's current segments (a save adds a segment: the
    arrays joined for the segments before it would otherwise stay for the process's life)."""
    with LOCK:
        for key in [key for key in COLUMNS if key[0] not in live]:
            del COLUMNS[key]
        for key in [key for key in JOINED if set(key[0]) != live]:
            del JOINED[key]
    POSTINGS.forget(live)
    RECENT_TERM_ENTRIES.forget(live)
