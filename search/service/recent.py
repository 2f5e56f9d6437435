"""Recently answered searches, kept in the process: a results page or JSON answer asked
again (a day's popular queries, a reader paging back and forth, a link shared in a team) is
served without searching, counting and loading again.

An entry belongs to one state of the index (the engine's ``version()``) and of the synonym
groups: when either changes — an ingest, an editor's save, a synonym edit — every entry is
dropped at the next question. Other database facts a cached row shows (a publication's
name) are at most ARCHIVE_SEARCH_CACHE_SECONDS old. An engine without versions (None) is
never cached. Entries hold Python objects, not pickles, so each process keeps its own.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from django.conf import settings

from search.engines.base import SearchEngine
from search.service.synonyms import synonym_rows

T = TypeVar("T")


class RecentAnswers:
    """At most `size` answers of the current state, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._state: Hashable = None
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, state: Hashable, key: Hashable, compute: Callable[[], T], seconds: float) -> T:
        now = time.monotonic()
        with self._lock:
            if state != self._state:
                self._items.clear()
                self._state = state
            kept = self._items.get(key)
            if kept is not None and kept[0] > now:
                self._items.move_to_end(key)
                return kept[1]
        value = compute()
        with self._lock:
            if state == self._state:
                self._items[key] = (now + seconds, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._state = None


ANSWERS = RecentAnswers(size=settings.ARCHIVE_SEARCH_CACHE_ENTRIES)


def remembered(engine: SearchEngine, kind: str, data: Mapping[str, Any], extra: tuple,
               compute: Callable[[], T]) -> T:
    """compute(), or its answer for the same kind of page, form data and `extra` (page size,
    script, language) in the same state of the index and synonyms."""
    seconds = settings.ARCHIVE_SEARCH_CACHE_SECONDS
    version = engine.version() if seconds > 0 else None
    if version is None:
        return compute()
    key = (kind, tuple(sorted((name, repr(value)) for name, value in data.items())), extra)
    return ANSWERS.answer((version, synonym_rows()), key, compute, seconds)
