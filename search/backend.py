"""A haystack engine on Whoosh with the project's Chinese analysis.

Differences from haystack's stock Whoosh backend, each for a measured reason
(see SEARCH-STACK-NOTES): text fields use search.analysis (true positions,
offsets into the original script, Traditional folded to Simplified) instead
of StemmingAnalyzer; a sub-word field gives recall inside words; keyword
fields are columns so facets can be counted; file storage without mmap, and
one searcher per process that is refreshed instead of reopened; writers wait
for the lock instead of failing, so a delete is never dropped.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import threading
import zlib
from typing import Iterator

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter
from whoosh.formats import Existence
from whoosh.fields import DATETIME, ID as WHOOSH_ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.qparser import QueryParser
from whoosh.searching import Searcher
from whoosh.util.numeric import length_to_byte
from whoosh.writing import IndexWriter

from search.analysis import SubwordAnalyzer, WordAnalyzer
from search.engines.whoosh import engine_all
from search.engines.whoosh import staging
from search.engines.whoosh.segment_writer import DATA_PROTOCOL

logger = logging.getLogger(__name__)

WRITER_TIMEOUT = float(os.environ.get("ARCHIVE_INDEX_LOCK_TIMEOUT", "10"))
FIELD_BOOSTS = {"headline": 3.0, "text": 1.0, "chars": 0.3, "byline": 1.0}
# Stored digest of everything written for a document: check_index compares it
# with the database to find stale entries (search/indexing/consistency.py).
FINGERPRINT = "fingerprint"


def fingerprint(doc: dict) -> str:
    payload = {key: str(value) for key, value in doc.items() if key != FINGERPRINT}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class _PositionTrackingFile:
    """A write-only file that knows its own position: Whoosh asks tell() after nearly
    every posting block, and a buffered file answers that with a system call
    (about a tenth of segment-writing time in a profile)."""

    def __init__(self, raw):
        self._raw = raw
        self._pos = raw.tell()

    def write(self, data) -> int:
        written = self._raw.write(data)
        self._pos += written
        return written

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _SegmentFile(StructFile):
    """A compound segment file whose column files (per-document values: dates, cities,
    story keys, field lengths) are read into memory when the segment is opened.
    Sorting, collapsing, faceting and scoring read one value per matching document;
    from the file each read was a seek and a read, two thirds of a results page's time
    at 10,000 articles. Columns are a few bytes per document."""

    def subset(self, offset, length, name=None):
        if name and name.endswith(".col"):
            return BufferFile(self.get(offset, length), name=name)
        return super().subset(offset, length, name=name)


class ArchiveFileStorage(FileStorage):
    """File storage without mmap (mmap made Whoosh copy postings into memory on every
    open and tripled the web process's memory), whose new files track their own
    position and whose segments keep their columns in memory."""

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False)

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        structfile = super().create_file(name, excl=excl, mode=mode, **kwargs)
        if not excl and mode == "wb":
            structfile.file = _PositionTrackingFile(structfile.file)
        return structfile

    def open_file(self, name, **kwargs):
        structfile = super().open_file(name, **kwargs)
        if name.endswith(".seg") and type(structfile) is StructFile:
            structfile.__class__ = _SegmentFile
        return structfile


def codec() -> W3Codec:
    """Whoosh's codec with posting blocks stored uncompressed: decompressing was a fifth of
    reading a posting list at query time, for a bigger index on disk."""
    return ArchiveCodec(compression=0)


class ArchiveCodec(W3Codec):
    """W3, with posting blocks pickled as search/engines/whoosh/segment_writer.py writes them (DATA_PROTOCOL), so
    segments Whoosh itself writes — merges, `compact_index`, small batches under the lock —
    load as fast as the bulk ones. Files stay readable by Whoosh's own W3 reader."""

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


class _PostingsWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        """One block as W3PostingsWriter writes it (header tag before the first, length with
        the last one's sign flipped, pickled block statistics, pickled data), only the data
        in DATA_PROTOCOL rather than protocol 2."""
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), DATA_PROTOCOL)
        if self._compression:
            data = zlib.compress(data, self._compression)
        ids = self._ids
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, self._compression,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        postfile.write_int(-size if last else size)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


def subword_field(boost: float) -> TEXT:
    """Characters and pairs inside words: presence per document is all a substring match
    needs, and without frequencies and positions the field costs a fraction to write."""
    field = TEXT(analyzer=SubwordAnalyzer(), phrase=False, field_boost=boost)
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
                schema_fields[name] = subword_field(boost)
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
                refreshed = self._searcher.refresh()
                if refreshed is not self._searcher:
                    engine_all.forget_segments(engine_all.live_segments(refreshed))
                self._searcher = refreshed
            return self._searcher

    def document_count(self) -> int:
        return self.searcher().doc_count()

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
        doc[FINGERPRINT] = fingerprint(doc)
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
