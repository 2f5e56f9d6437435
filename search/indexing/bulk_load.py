"""The index side of a bulk load: the archive announces (archive/signals.py) and this
module keeps the index in step, so the ingest never drives index processes itself.

While a load runs, saves only queue their index changes (search/indexing/outbox.py's outbox);
outside a transaction, a forked child brings the index up to date beside the parsing
(search/indexing/background.py), inside one (tests) the queue is written in turns.
"""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.dispatch import receiver

from archive.signals import articles_changed, bulk_load_finished, bulk_load_progressed, bulk_load_started
from search.engines.base import EngineUnavailable
from search.indexing import outbox
from search.indexing.background import BackgroundFlusher


@dataclass
class _Load:
    deferral: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    background: BackgroundFlusher | None = None

logger = logging.getLogger(__name__)

_loads: list[_Load] = []  # nested loads (a command calling another) stack


@receiver(bulk_load_started)
def load_started(sender, alongside: bool = False, **kwargs) -> None:
    load = _Load()
    load.deferral.enter_context(outbox.deferred())
    if alongside and outbox.committed_rows_only():
        load.background = BackgroundFlusher(settings.ARCHIVE_INDEX_BATCH)
    _loads.append(load)


@receiver(bulk_load_progressed)
def load_progressed(sender, settle: bool = False, **kwargs) -> None:
    load = _loads[-1]
    with _index_unavailable_kept_queued():
        if settle:
            outbox.flush()
        elif load.background is not None:
            load.background.poke()
        elif outbox.has_full_batch(settings.ARCHIVE_INDEX_BATCH):
            outbox.flush(chunk=settings.ARCHIVE_INDEX_BATCH)


@receiver(bulk_load_finished)
def load_finished(sender, completed: bool = True, **kwargs) -> str | None:
    load = _loads.pop()
    with load.deferral:
        if load.background is not None:
            load.background.finish()
        if completed:
            with _index_unavailable_kept_queued():
                outbox.flush(chunk=settings.ARCHIVE_INDEX_BATCH)
    if load.background is None:
        return None
    return f"index: {load.background.started} flush(es) beside the parsing"


@contextlib.contextmanager
def _index_unavailable_kept_queued():
    """A damaged or missing index (or an unreachable cluster) does not stop a load: the database
    is the record, the changes stay queued, and one line says what to run."""
    try:
        yield
    except EngineUnavailable as exc:
        logger.error("ERROR the search index was not written: %s; %d change(s) stay queued", exc,
                     outbox.pending_count())


@receiver(articles_changed)
def queue_changed(sender, ids: list[int], **kwargs) -> None:
    outbox.enqueue(ids)
