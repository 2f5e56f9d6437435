"""A haystack engine on Whoosh with the project's Chinese analysis.

Differences from haystack's stock Whoosh backend, each for a measured reason
(docs/performance.md): text fields use search.analysis (true positions,
offsets into the original script, Traditional folded to Simplified) instead
of StemmingAnalyzer; a sub-word field gives recall inside words; keyword
fields are columns so facets can be counted; file storage without mmap, and
one searcher per process that is refreshed instead of reopened; writers wait
for the lock instead of failing, so a delete is never dropped.
"""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.db import DatabaseError
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Existence
from whoosh.index import TOC, LockError
from whoosh.qparser import QueryParser
from whoosh.searching import Searcher
from whoosh.util.filelock import try_for
from whoosh.writing import IndexWriter

from search.analysis import BigramAnalyzer, CharAnalyzer, WordAnalyzer
from search.engines.base import EngineError, IndexUnavailable
from search.engines.whoosh import caches, fileformat, integrity, staging
from search.engines.whoosh.fileformat import ArchiveFileStorage, codec
from search.indexing.fingerprint import FINGERPRINT, fingerprint
from search.models import PendingIndexChange
from search.service.plan import FIELD_BOOSTS

logger = logging.getLogger(__name__)

WRITER_TIMEOUT = float(os.environ.get("ARCHIVE_INDEX_LOCK_TIMEOUT", "10"))
ENGINE = "whoosh"
INDEX_NAME = "MAIN"  # haystack's (Whoosh's default)
# What reading damaged index files raises (besides whatever their bytes lead a reader to).
READ_ERRORS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)


def char_field(boost: float) -> TEXT:
    """Which ideographs a text holds: presence per document is all a one-character query
    needs, and without frequencies and positions the field costs a fraction to write."""
    field = TEXT(analyzer=CharAnalyzer(), phrase=False, field_boost=boost)
    field.format = Existence(field_boost=boost)
    return field


def bigram_field(boost: float) -> TEXT:
    """Which pairs of adjacent ideographs a text holds, presence only: a query string must have
    every one of its overlapping pairs (docs/search.md says why not positions)."""
    field = TEXT(analyzer=BigramAnalyzer(), phrase=False, field_boost=boost)
    field.format = Existence(field_boost=boost)
    return field


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._searcher: Searcher | None = None
        self._searcher_lock = threading.Lock()
        self._verdict: tuple[tuple, str | None] | None = None  # damage_error's last check: (TOC, problem)
        self._checked_segments: set[str] = set()  # segments whose files this process found whole

    def setup(self) -> None:
        """Open the index. A missing one is created only while the database has nothing to index
        but what the outbox queues: otherwise it was lost, and an empty index would answer every
        search with nothing (IndexUnavailable instead, a 503, until check_index --repair)."""
        self._prepare()
        if not self.use_file_storage:
            self.index = self.storage.create_index(self.schema)
        elif integrity.latest_toc(Path(self.path), INDEX_NAME) is None:
            if self.has_lost_documents():
                raise IndexUnavailable(ENGINE, "no index files where the index should be")
            self.index = self.storage.create_index(self.schema)
        else:
            try:
                self.index = self.storage.open_index(schema=self.schema)
            except Exception as exc:  # a damaged table of contents raises whatever its bytes lead to
                raise (self.damage_error(exc) or exc) from exc
        self._searcher = None
        self.setup_complete = True

    def _prepare(self) -> None:
        from haystack import connections

        if self.use_file_storage:
            os.makedirs(self.path, exist_ok=True)
            self.storage = ArchiveFileStorage(self.path)
        else:
            self.storage = RamStorage()
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)

    def has_lost_documents(self) -> bool:
        """Whether the database holds documents for this index that no queued change will write
        (no tables yet: no). Without an index that means it was lost; a first ingest's
        articles are all queued, and their first flush creates it."""
        from haystack import connections

        queued = PendingIndexChange.objects.values("article_id")
        try:
            return any(index.index_queryset().exclude(pk__in=queued).exists()
                       for index in connections[self.connection_alias].get_unified_index().get_indexes().values())
        except DatabaseError:
            return False

    def reset(self, timeout: float = WRITER_TIMEOUT) -> None:
        """An empty index in place of whatever is in the folder, damaged or not (rebuild_index's
        clear, and check_index --repair when the table of contents is gone or unreadable).
        Under the index lock; its generation follows the old one, so every process's searcher
        sees that the index changed."""
        self._prepare()
        self._searcher = None
        self.setup_complete = False
        if not self.use_file_storage:
            self.setup()
            return
        folder = Path(self.path)
        lock = self.storage.lock(f"{INDEX_NAME}_WRITELOCK")
        if not try_for(lock.acquire, timeout=timeout, delay=0.05):
            raise LockError("the index is locked by another writer")
        try:
            old = integrity.latest_toc(folder, INDEX_NAME)
            generation = int(old.stem.rsplit("_", 1)[1]) + 1 if old else 0
            for path in folder.iterdir():
                if path.name != f"{INDEX_NAME}_WRITELOCK":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            TOC(self.schema, [], generation).write(self.storage, INDEX_NAME)
        finally:
            lock.release()
        self.setup()

    def drop_segments(self, segment_ids: set[str], timeout: float = WRITER_TIMEOUT) -> int:
        """Take these (damaged) segments out of the index; returns how many documents they held.
        Their articles are then missing, for check_index --repair to write again."""
        if not self.setup_complete:
            self.setup()
        writer = self.index.writer(timeout=timeout, delay=0.05, codec=codec())
        dropped = [segment for segment in writer.segments if segment.segment_id() in segment_ids]
        writer.segments = [segment for segment in writer.segments if segment.segment_id() not in segment_ids]
        writer.commit(mergetype=staging.no_merge)
        self._searcher = None
        return sum(segment.doc_count() for segment in dropped)

    def diagnose(self, checksums: bool = True, reads: bool = True) -> integrity.Diagnosis:
        """Every problem with the index's files (search/engines/whoosh/integrity.py)."""
        self._prepare()
        diagnosis = integrity.diagnose(self.path, self.storage, INDEX_NAME, self.schema, checksums, reads)
        if diagnosis.damage and diagnosis.damage[0].kind == "index-missing" and not self.has_lost_documents():
            return integrity.Diagnosis()  # nothing built yet and nothing to index: not damage
        return diagnosis

    def damage_error(self, error: Exception | None = None, read_failed: bool = True) -> IndexUnavailable | None:
        """IndexUnavailable when the index's files are damaged (or, with `read_failed`, `error` is
        an I/O error of a read), else None: `error` was something else (a bug; for a writer, a
        folder it cannot write), to be raised as it is. The files are checked once per table of
        contents, so a bug does not re-read the index every time."""
        key = integrity.toc_key(Path(self.path), INDEX_NAME)
        if self._verdict is None or self._verdict[0] != key:
            found = self.diagnose(checksums=True, reads=False) if self.use_file_storage else integrity.Diagnosis()
            problem = None
            if found.damage:
                problem = found.damage[0].line() + (f" and {len(found.damage) - 1} more" if len(found.damage) > 1 else "")
            self._verdict = (key, problem)
        problem = self._verdict[1]
        if problem is None and read_failed and isinstance(error, READ_ERRORS):
            problem = f"reading it failed: {type(error).__name__}: {error}"
        return None if problem is None else IndexUnavailable(ENGINE, problem)

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
            FINGERPRINT: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            boost = FIELD_BOOSTS.get(name, field.boost)
            if field.is_multivalued:
                # Entity and industry names: exact values, several per article, for filters and facets.
                schema_fields[name] = KEYWORD(commas=True, lowercase=False, scorable=False)
            elif field.field_type == "keyword":
                schema_fields[name] = WHOOSH_ID(stored=False, sortable=True)
            elif field.field_type == "chars":
                schema_fields[name] = char_field(boost)
            elif field.field_type == "grams":
                schema_fields[name] = bigram_field(boost)
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=False, sortable=True)
            elif field.field_type == "integer":
                schema_fields[name] = NUMERIC(numtype=int, sortable=True)
            else:
                schema_fields[name] = TEXT(
                    analyzer=WordAnalyzer(), phrase=True, field_boost=boost, multitoken_query="phrase"
                )
            if field.document:
                content_field_name = name
        return content_field_name, Schema(**schema_fields)

    # -- reading -------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The process's searcher, refreshed when another process has committed. A new one is
        opened only when the files of its segments are there at their written sizes
        (IndexUnavailable otherwise, also when opening fails on damaged files)."""
        if not self.setup_complete:
            self.setup()
        with self._searcher_lock:
            current = self._searcher
            self._searcher = None
            for _attempt in range(3):
                try:
                    fresh = self.index.searcher() if current is None else fileformat.refreshed(current, self.index)
                except Exception as exc:
                    raise (self.damage_error(exc) or exc) from exc
                if fresh is current:
                    break
                damage = self._damaged_files(fresh)
                if damage is None:
                    caches.forget_segments(caches.live_segments(fresh))
                    break
                up_to_date = fresh.up_to_date()
                fresh.close()
                if up_to_date:  # not a merge that removed the files after this searcher listed them
                    raise IndexUnavailable(ENGINE, damage)
                current = None
            else:
                raise IndexUnavailable(ENGINE, "the index kept changing while it was opened")
            self._searcher = fresh
            return fresh

    def _damaged_files(self, searcher: Searcher) -> str | None:
        """The first problem with the files of the searcher's segments not seen before (present,
        at their recorded sizes: a stat each; their digests are check_index's to compare)."""
        if not self.use_file_storage:
            return None
        folder = Path(self.path)
        for reader, _offset in searcher.reader().leaf_readers():
            segment = reader.segment() if hasattr(reader, "segment") else None
            if segment is None or segment.segment_id() in self._checked_segments:
                continue
            damage, _checked = integrity.file_damage(folder, segment, checksums=False)
            if damage:
                return damage[0].line()
            self._checked_segments.add(segment.segment_id())
        return None

    def reopen(self) -> None:
        """Open the index anew on next use and check its files again, as a newly started process does."""
        self._searcher = None
        self.setup_complete = False
        self._verdict = None
        self._checked_segments = set()

    def forget_searcher(self) -> None:
        """Open a searcher of this process's own on next use (after a fork)."""
        self._searcher = None

    def document_count(self) -> int:
        return self.searcher().doc_count()

    def stored_fingerprints(self) -> Iterator[tuple[str, str | None]]:
        """(document id, stored fingerprint) of every document, for check_index
        (search/indexing/consistency.py)."""
        for stored in self.searcher().all_stored_fields():
            yield stored.get(ID), stored.get(FINGERPRINT)

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def writer(self, timeout: float = WRITER_TIMEOUT, **options) -> Iterator[IndexWriter]:
        """One writer at a time: wait up to `timeout` s for the lock, commit on success.
        Only small segments are merged on commit (search/engines/whoosh/staging.py)."""
        if not self.setup_complete:
            self.setup()
        try:
            writer = self.index.writer(timeout=timeout, delay=0.05, codec=codec(), **options)
        except LockError:
            raise
        except Exception as exc:  # damaged files: IndexUnavailable; a folder that cannot be written: as it is
            raise (self.damage_error(exc, read_failed=False) or exc) from exc
        writer.mergetype = staging.merge_small_segments
        if self.use_file_storage:  # each new segment's checksums, before the TOC lists it
            known = {segment.segment_id() for segment in writer.segments}
            fileformat.before_table_of_contents(
                writer, lambda segments: integrity.record_new(self.path, segments, known))
        try:
            yield writer
        except BaseException as exc:
            writer.cancel()
            if isinstance(exc, Exception) and not isinstance(exc, (LockError, EngineError)):
                damage = self.damage_error(exc, read_failed=False)
                if damage is not None:
                    raise damage from exc
            raise
        writer.commit()

    def document(self, search_index, obj) -> dict | None:
        try:
            doc = search_index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)
        doc = {key: self._from_python(value) for key, value in doc.items() if value not in (None, "")}
        doc[FINGERPRINT] = fingerprint(doc, keep_empty=True)
        return doc

    def update(self, index, iterable, commit=True) -> None:
        objects = list(iterable)
        if not objects:
            return
        with self.writer() as writer:
            for obj in objects:
                doc = self.document(index, obj)
                if doc is not None:
                    writer.update_document(**doc)

    def remove(self, obj_or_string, commit=True) -> None:
        with self.writer() as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def clear(self, models=None, commit=True) -> None:
        """Everything (rebuild_index): a fresh index, whatever state the old one is in."""
        self._searcher = None
        if models is None:
            self.reset()
            return
        super().clear(models=models, commit=commit)

    def _from_python(self, value):
        if isinstance(value, str):
            return value
        return super()._from_python(value)


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
