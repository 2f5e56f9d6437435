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
import os

from django.db import connections, transaction

from search import indexing

logger = logging.getLogger(__name__)

# Database handles inherited from the parent: never used or closed by the child (SQLite
# connections must not cross a fork), only kept referenced until the child exits.
_inherited_connections: list = []


def can_fork() -> bool:
    """A child sees only committed rows, through a connection of its own: not possible
    inside a transaction (the test suite's) or with an in-memory database."""
    connection = transaction.get_connection()
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return hasattr(os, "fork") and not connection.in_atomic_block and not in_memory


class BackgroundFlusher:
    """Whenever `batch` articles are queued and no child is running, start a child that
    writes them, `batch` articles per commit (one segment), as long as full batches are
    queued (every search visits every segment). While the parent parses, the child
    builds in one process, so the two keep both cores busy; once `finish()` says the
    parsing is over, it builds with two, sharing the rest of the batch in hand with a
    second process. `finish()` waits for the last child; the caller
    flushes the remainder."""

    CHECK_EVERY = 10  # files between two looks at the outbox

    def __init__(self, batch: int):
        self.batch = batch
        self.started = 0  # children started, for the ingest's report
        self._pokes = 0
        self._child: multiprocessing.process.BaseProcess | None = None
        self._context = multiprocessing.get_context("fork")
        self._parsing_done = self._context.Event()

    def poke(self) -> None:
        self._pokes += 1
        if self._pokes % self.CHECK_EVERY:
            return
        if self._child is not None:
            if self._child.is_alive():
                return
            self._reap()
        if not indexing.has_full_batch(self.batch):
            return
        self._child = self._context.Process(
            target=_flush_in_child, args=(self.batch, self._parsing_done), name="index-flush")
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
        self._child = None


def _flush_in_child(batch: int, parsing_done) -> None:
    for connection in connections.all(initialized_only=True):
        _inherited_connections.append(connection.connection)
        connection.connection = None
    indexing.backend()._searcher = None
    while indexing.has_full_batch(batch):
        indexing.flush_batch(batch, processes=1, split_when=parsing_done.is_set)
