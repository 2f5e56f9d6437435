"""Indexing beside a bulk ingest, on the other core.

During `manage.py ingest` the parent process parses pages and writes articles
while a forked child brings the index up to date from the outbox (one segment-building
process while the parent parses, two from the moment it is done); when the child is done and
enough changes are queued again, the next child starts. Parsing and indexing thus overlap instead of
taking turns. The outbox stays the only hand-over: a child that fails or is
killed leaves its rows queued, and the parent's final flush (or `check_index
--repair`) writes them.
"""
from __future__ import annotations

import logging
import multiprocessing
import sys

from search.indexing import outbox

logger = logging.getLogger(__name__)


class BackgroundFlusher:
    """Whenever `batch` articles are queued and no child is running, start a child that
    writes them, `batch` articles per commit (one segment), as long as full batches are
    queued (every search visits every segment). While the parent parses, the child
    builds in one process, so the two keep both cores busy; once `finish()` says the
    parsing is over, it builds with two, sharing the rest of the batch in hand with a
    second process. `finish()` waits for the last child; the caller
    flushes the remainder.

    The first child starts once `first` articles are queued and takes what is queued until
    it has written a full batch: waiting for a full first batch kept one core idle at the
    start of every ingest."""

    CHECK_EVERY = 10  # files between two looks at the outbox

    def __init__(self, batch: int, first: int | None = None):
        self.batch = batch
        self.first = min(batch, first or max(1, batch // 5))
        self.started = 0  # children started, for the ingest's report
        self.failed = False  # a child failed: no more children; the parent's final flush meets the fault itself
        self._pokes = 0
        self._child: multiprocessing.process.BaseProcess | None = None
        self._context = multiprocessing.get_context("fork")
        self._parsing_done = self._context.Event()

    def poke(self) -> None:
        self._pokes += 1
        if self._pokes % self.CHECK_EVERY or self.failed:
            return
        if self._child is not None:
            if self._child.is_alive():
                return
            self._reap()
            if self.failed:
                return
        at_least = self.batch if self.started else self.first
        if not outbox.has_full_batch(at_least):
            return
        self._child = self._context.Process(
            target=_flush_in_child, args=(self.batch, at_least, self._parsing_done), name="index-flush")
        self._child.start()
        self.started += 1

    def finish(self) -> None:
        self._parsing_done.set()
        if self._child is not None:
            self._child.join()
            self._reap()

    def _reap(self) -> None:
        if self._child is not None and self._child.exitcode:
            logger.warning("background index flush exited with %s; its changes stay queued", self._child.exitcode)
            self.failed = True
        self._child = None


def _flush_in_child(batch: int, at_least: int, parsing_done) -> None:
    """Batches of up to `batch` articles while `at_least` are queued; from the first full
    batch on, only full ones."""
    outbox.forget_parent_connections()
    try:
        while outbox.has_full_batch(at_least):
            if outbox.flush_batch(batch, processes=1, split_when=parsing_done.is_set) >= batch:
                at_least = batch
    except Exception as exc:  # noqa: BLE001 - one line, not a child's traceback: the parent reports the fault
        logger.error("index flush beside the ingest failed (%s: %s)", type(exc).__name__, exc)
        sys.exit(1)
