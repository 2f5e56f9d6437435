"""Keeping the index in step with the database.

Every article save or delete writes an outbox row in the same transaction
(search/signals.py). After the transaction commits, the rows are processed:
each article is re-read from the database and its index entry replaced, or
removed when the article is gone. Writers take turns on Whoosh's lock; a row
whose write could not get the lock stays in the outbox and is processed by
the next flush (the end of a bulk ingest, the next admin save, or
`manage.py check_index --repair`), so no change is ever lost; so does a row whose
write found the engine's server unreachable (Elasticsearch: EngineUnavailable).
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence

from django.conf import settings
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Q
from haystack import connections
from haystack.constants import ID
from whoosh import query as wq
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from archive.models import Article
from search.engines.base import EngineUnavailable
from search.engines.whoosh import staging
from search.models import PendingIndexChange

logger = logging.getLogger(__name__)

FLUSH_CHUNK = 2000
# Batches at least this large are built beside the index and attached under the lock in
# milliseconds (search/engines/whoosh/staging.py); a smaller one is written under the lock.
STAGED_FROM = 50
# After a save, the rest of the outbox is written too only when it names at most this many
# articles: what earlier saves left queued when the index was busy, not a bulk ingest's backlog.
FOLLOW_UP_ARTICLES = 10
ROWS_PER_ARTICLE = 20  # a save queues a row per entity link too: more rows than this is no short queue
RUNS_PER_DELETE = 200  # id ranges per DELETE statement (a few unless writers ran at once)
_state = threading.local()
# Database handles inherited from a parent process: never used or closed after a fork (SQLite
# connections must not cross one), only kept referenced until the process exits.
_inherited_connections: list = []


def backend():
    return connections["default"].get_backend()


def article_index():
    return connections["default"].get_unified_index().get_index(Article)


def enqueue(article_ids: list[int]) -> None:
    """Record that these articles' index entries are stale (call inside the write's transaction)."""
    PendingIndexChange.objects.bulk_create(PendingIndexChange(article_id=pk) for pk in article_ids)
    if is_deferred():
        return
    scheduled = _scheduled_flush()
    if scheduled is None:
        scheduled = AfterCommitFlush()
        transaction.on_commit(scheduled)
    scheduled.ids.update(article_ids)


class AfterCommitFlush:
    """One after-commit flush per transaction, however many saves and cascaded deletes queued rows
    (when the index is busy, an editor waits SEARCH_COMMIT_FLUSH_TIMEOUT once, not once per row).
    It writes the transaction's own articles, then the rest of the queue only when it names at
    most FOLLOW_UP_ARTICLES articles: a bulk ingest's backlog is the ingest's to write. (Flushing "the
    rest" until the queue was empty kept an editor's save writing a running ingest's articles
    for over a minute.)"""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        try:
            write_own(sorted(self.ids), timeout=settings.SEARCH_COMMIT_FLUSH_TIMEOUT)
            if _short_queue():
                flush_batch(FOLLOW_UP_ARTICLES, timeout=settings.SEARCH_COMMIT_FLUSH_TIMEOUT)
        except (LockError, EngineUnavailable) as exc:  # the index is busy, or its cluster unreachable
            logger.warning("index not written (%s); %d change(s) stay queued for the next flush",
                           str(exc) or "busy", pending_count())


def _short_queue() -> bool:
    """Whether the outbox names no more than FOLLOW_UP_ARTICLES articles (rows counted first: cheap)."""
    if pending_count() > FOLLOW_UP_ARTICLES * ROWS_PER_ARTICLE:
        return False
    return PendingIndexChange.objects.values("article_id").distinct().count() <= FOLLOW_UP_ARTICLES


def _scheduled_flush() -> AfterCommitFlush | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    # (Finished ones are skipped: a test's captured callbacks stay in the list after they ran.)
    return next((entry[1] for entry in connection.run_on_commit
                 if isinstance(entry[1], AfterCommitFlush) and not entry[1].ran), None)


def write_own(ids: list[int], timeout: float | None = None) -> None:
    """Write these articles and clear the queued rows that named them before they were read."""
    if not ids:
        return
    rows = list(PendingIndexChange.objects.filter(article_id__in=ids).values_list("id", flat=True))
    write_articles(ids, timeout=timeout)
    delete_rows(rows)


def is_deferred() -> bool:
    return getattr(_state, "deferred", 0) > 0


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Inside this block saves only queue their index changes; the caller flushes in batches."""
    _state.deferred = getattr(_state, "deferred", 0) + 1
    try:
        yield
    finally:
        _state.deferred -= 1


def pending_count() -> int:
    return PendingIndexChange.objects.count()


def flush(timeout: float | None = None, chunk: int = FLUSH_CHUNK) -> int:
    """Apply every queued change to the index; returns how many articles were written.

    Raises whoosh.index.LockError when another writer holds the index longer than `timeout`.
    """
    done = 0
    while True:
        written = flush_batch(chunk, timeout=timeout)
        if not written:
            return done
        done += written


def flush_batch(articles: int, timeout: float | None = None, processes: int = 2,
                split_when: Callable[[], bool] | None = None) -> int:
    """Write the next `articles` queued articles in one commit; returns how many were written.
    A large batch is built by up to `processes` processes, or by one that takes a second
    as soon as `split_when()` is true (search/engines/whoosh/staging.py)."""
    ids, rows = _next_batch(articles)
    if ids:
        write_articles(ids, timeout=timeout, processes=processes, split_when=split_when)
        delete_rows(rows)
    return len(ids)


def delete_rows(rows: list[int]) -> None:
    """Delete exactly these outbox rows (runs of consecutive ids, a range each), never "every row
    up to the last one read": PostgreSQL numbers a row when it is inserted, not when its
    transaction commits, so a row with a lower id can commit after the batch was read, and
    deleting it would lose its change (SQLite lets one writer in at a time, so ids follow commits)."""
    runs = id_runs(rows)
    for start in range(0, len(runs), RUNS_PER_DELETE):
        matching = Q()
        for first, last in runs[start:start + RUNS_PER_DELETE]:
            matching |= Q(id=first) if first == last else Q(id__range=(first, last))
        PendingIndexChange.objects.filter(matching).delete()


def id_runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted runs of consecutive ids, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for pk in sorted(ids):
        if runs and pk <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(pk, runs[-1][1]))
        else:
            runs.append((pk, pk))
    return runs


def has_full_batch(articles: int) -> bool:
    """Whether at least `articles` distinct articles are queued (the row count is checked first:
    it is cheap, and never smaller)."""
    queued = PendingIndexChange.objects
    if queued.count() < articles:
        return False
    return queued.values("article_id").distinct().count() >= articles


def _next_batch(articles: int) -> tuple[list[int], list[int]]:
    """The next `articles` distinct articles in the outbox, and the rows read that name them
    (an article's save and each of its entity links queue a row each: rows outnumber articles)."""
    ids: set[int] = set()
    seen: list[int] = []
    rows = PendingIndexChange.objects.order_by("id").values_list("id", "article_id")
    for row_id, article_id in rows.iterator(chunk_size=2000):
        if article_id not in ids:
            if len(ids) >= articles:
                break
            ids.add(article_id)
        seen.append(row_id)
    return sorted(ids), seen


def write_articles(ids: list[int], timeout: float | None = None, processes: int = 2,
                   split_when: Callable[[], bool] | None = None) -> None:
    """Make the index entries of these articles match the database."""
    index = article_index()
    search_backend = backend()
    if len(ids) >= STAGED_FROM and getattr(search_backend, "use_file_storage", False):
        _write_staged(search_backend, index, ids, timeout, processes, split_when)
        return
    present = {article.pk: article for article in index.index_queryset().filter(pk__in=ids)}
    kwargs: dict = {} if timeout is None else {"timeout": timeout}
    with search_backend.writer(**kwargs) as writer:
        if isinstance(writer, IndexWriter):
            # One searcher finds every old entry of the batch: update_document() would open
            # readers on every segment once per article, the cost that grows with the index.
            writer.delete_by_query(wq.Or([wq.Term(ID, _identifier(pk)) for pk in ids]))
            put = writer.add_document
        else:  # a bulk writer (Elasticsearch) replaces documents by id
            put = writer.update_document
        for pk in ids:
            article = present.get(pk)
            if article is None:
                writer.delete_by_term(ID, _identifier(pk))
                continue
            doc = search_backend.document(index, article)
            if doc is not None:
                put(**doc)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: a batch holds a list per term and thousands of model
    instances, none of them in cycles, and every full collection walked them all (a large
    part of reading a batch's articles from the database)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_staged(search_backend, index, ids: list[int], timeout: float | None, processes: int = 2,
                  split_when: Callable[[], bool] | None = None) -> None:
    """A large batch: built beside the index, attached under a lock held for milliseconds
    (search/engines/whoosh/staging.py), so admin saves during a bulk ingest are not kept waiting. The
    index's segments are noted before the database is read: whatever another writer
    commits after that may be newer than this batch."""
    with cyclic_gc_paused():
        _build_and_attach(search_backend, index, ids, timeout, processes, split_when)


def _build_and_attach(search_backend, index, ids: list[int], timeout: float | None, processes: int,
                      split_when: Callable[[], bool] | None) -> None:
    if not search_backend.setup_complete:
        search_backend.setup()
    staging.remove_abandoned(search_backend.path)
    identifiers = [_identifier(pk) for pk in ids]
    snapshot, old = staging.old_entries(search_backend.index, identifiers)
    documents: Sequence = ArticleDocuments(search_backend, index, ids)
    if not committed_rows_only():  # a forked process would not see this transaction's rows
        documents = list(documents)
    folder, segments = staging.build_segments(search_backend, documents, len(documents), processes, split_when)

    def fresh_documents(conflicts: set[str]) -> list[dict]:
        pks = [int(identifier.rsplit(".", 1)[1]) for identifier in conflicts]
        articles = index.index_queryset().filter(pk__in=pks)
        return [doc for doc in (search_backend.document(index, article) for article in articles) if doc]

    staging.attach(search_backend, folder, segments, identifiers, snapshot, old, fresh_documents, timeout)


class ArticleDocuments(Sequence):
    """The index documents of these articles, read from the database a chunk at a time as they
    are iterated, in the process that iterates them. A batch shared with a forked process is
    thus read by both at once, each its own part over a connection of its own: read up front by
    one process, a batch kept the other core idle while it was read. An article
    gone from the database is a None (the segment builder skips it; positions stay the ids')."""

    CHUNK = 200  # articles per read: a few queries each, and little read in vain past a split

    def __init__(self, search_backend, index, ids: list[int], reader_pid: int | None = None) -> None:
        self.backend, self.index, self.ids = search_backend, index, ids
        self._reader_pid = os.getpid() if reader_pid is None else reader_pid

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return ArticleDocuments(self.backend, self.index, self.ids[item], self._reader_pid)
        return list(self._read([self.ids[item]]))[0]

    def __iter__(self) -> Iterator[dict | None]:
        if os.getpid() != self._reader_pid:
            forget_parent_connections()
            self._reader_pid = os.getpid()
        for start in range(0, len(self.ids), self.CHUNK):
            yield from self._read(self.ids[start:start + self.CHUNK])

    def _read(self, ids: list[int]) -> Iterator[dict | None]:
        present = {article.pk: article for article in self.index.index_queryset().filter(pk__in=ids)}
        for pk in ids:
            article = present.get(pk)
            yield None if article is None else self.backend.document(self.index, article)


def committed_rows_only() -> bool:
    """Whether a forked process would see the same rows as this one, through a connection of
    its own: not inside a transaction (the test suite's) or with an in-memory database."""
    connection = transaction.get_connection()
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return hasattr(os, "fork") and not connection.in_atomic_block and not in_memory


def forget_parent_connections() -> None:
    """In a forked process: open new database connections instead of the parent's, and
    search with a searcher of its own."""
    for connection in db_connections.all(initialized_only=True):
        _inherited_connections.append(connection.connection)
        connection.connection = None
    backend().forget_searcher()


def _identifier(pk: int) -> str:
    return f"archive.article.{pk}"
