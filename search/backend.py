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
import threading
from collections.abc import Iterator

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Existence
from whoosh.qparser import QueryParser
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from search.analysis import BigramAnalyzer, CharAnalyzer, WordAnalyzer
from search.engines.whoosh import caches, fileformat, staging
from search.engines.whoosh.fileformat import ArchiveFileStorage, codec
from search.indexing.fingerprint import FINGERPRINT, fingerprint
from search.service.plan import FIELD_BOOSTS

logger = logging.getLogger(__name__)

WRITER_TIMEOUT = float(os.environ.get("ARCHIVE_INDEX_LOCK_TIMEOUT", "10"))


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

    def setup(self) -> None:
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
        if whoosh_index.exists(self.storage):
            self.index = self.storage.open_index(schema=self.schema)
        else:
            self.index = self.storage.create_index(self.schema)
        self._searcher = None
        self.setup_complete = True

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
        """The process's searcher, refreshed when another process has committed."""
        if not self.setup_complete:
            self.setup()
        with self._searcher_lock:
            if self._searcher is None:
                self._searcher = self.index.searcher()
            else:
                refreshed = fileformat.refreshed(self._searcher, self.index)
                if refreshed is not self._searcher:
                    caches.forget_segments(caches.live_segments(refreshed))
                self._searcher = refreshed
            return self._searcher

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
        writer = self.index.writer(timeout=timeout, delay=0.05, codec=codec(), **options)
        writer.mergetype = staging.merge_small_segments
        try:
            yield writer
        except BaseException:
            writer.cancel()
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
        self._searcher = None
        super().clear(models=models, commit=commit)

    def _from_python(self, value):
        if isinstance(value, str):
            return value
        return super()._from_python(value)


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
