"""Scale-out path: Elasticsearch 7 behind haystack, with the archive's own Chinese analysis.

Elasticsearch never analyses Chinese here. Every text field is sent *pre-cut*: the
same normalisation (Traditional → Simplified, full-width → half-width, lower case) and the
same jieba word cut with the project's dictionaries that the Whoosh index uses
(archive/text/, search/analysis.py), as terms joined by single spaces; the mapping splits them again on
whitespace only. So both engines index the same terms at the same positions and a query
finds the same articles in either, with no ES plugin (IK, smartcn, STConvert) to install.

- ``text``, ``headline``, ``byline``: jieba words (``query_terms``), whitespace analyzer;
- ``chars``: one term per character (``char_terms``), so a phrase query of characters is a
  substring search (港 in 香港), as on Whoosh;
- filter and facet fields (city, district, publication, kind, year, story, and the
  multi-valued industry/company/person/place): ``keyword``; ``date``: ``date``;
- ``text`` and ``chars`` are indexed but left out of ``_source`` (the database has the text);
- field boosts (headline 3×) are applied at query time (search/engines/elasticsearch.py), as ES 7
  deprecates them in mappings.

Configure with ``ARCHIVE_SEARCH_ENGINE=elasticsearch`` and ``ARCHIVE_ELASTICSEARCH_URL``
(archive/settings.py). ``rebuild_index``/``update_index`` and the index outbox (admin saves,
ingest) write to it — :meth:`ArchiveElasticsearchBackend.writer` gives the outbox the same
interface as the Whoosh backend. Importing this module needs the ``elasticsearch>=7,<8``
client; nothing else in the archive imports it.

Searching goes through the engine seam: search/engines/elasticsearch.py compiles the
archive's query language to ES request bodies and answers what it cannot do yet with
EngineUnsupported (a 503 naming the engine).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument

from search.engines.elasticsearch import joined_chars, joined_words
from search.indexing.fingerprint import FINGERPRINT, fingerprint

ANALYZER = "archive_pretokenized"
CHARS_FIELD_TYPE = "chars"
GRAMS_FIELD_TYPE = "grams"  # Whoosh's pairs of ideographs: not sent to Elasticsearch
KEYWORD_FIELD_TYPE = "keyword"
NOT_IN_SOURCE = ("text", "chars")


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {
        "settings": {
            "index": {"max_ngram_diff": 2},
            "analysis": {
                "analyzer": {
                    # The text arrives cut into words and folded: split on spaces, nothing else.
                    ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": []},
                    **Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"]["analyzer"],
                },
                "filter": Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"]["filter"],
            },
        },
    }
    TEXT_MAPPING = {"type": "text", "analyzer": ANALYZER}

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._precut: dict[str, str] = {}  # index field name -> "words" or "chars"

    # -- mapping ------------------------------------------------------------------------
    def _get_common_mapping(self) -> dict:
        return {
            ID: {"type": "keyword"},
            DJANGO_CT: {"type": "keyword"},
            DJANGO_ID: {"type": "keyword"},
            FINGERPRINT: {"type": "keyword", "index": False, "doc_values": False},
        }

    def _get_current_mapping(self, field_mapping):
        return {"_source": {"excludes": list(NOT_IN_SOURCE)}, "properties": field_mapping}

    def build_schema(self, fields):
        content_field_name = ""
        mapping = self._get_common_mapping()
        precut: dict[str, str] = {}
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content_field_name = name
            if field.is_multivalued or field.field_type == KEYWORD_FIELD_TYPE:
                mapping[name] = {"type": "keyword"}
            elif field.field_type in ("date", "datetime"):
                mapping[name] = {"type": "date"}
            elif field.field_type in ("integer", "long"):
                mapping[name] = {"type": "long"}
            elif field.field_type == "float":
                mapping[name] = {"type": "float"}
            elif field.field_type == "boolean":
                mapping[name] = {"type": "boolean"}
            elif field.field_type == CHARS_FIELD_TYPE:
                mapping[name] = dict(self.TEXT_MAPPING)
                precut[name] = "chars"
            elif field.field_type == GRAMS_FIELD_TYPE:
                precut[name] = "omitted"  # the chars field's positions already give substrings here
            else:
                mapping[name] = dict(self.TEXT_MAPPING)
                precut[name] = "words"
        self._precut = precut
        return content_field_name, mapping

    def precut_fields(self) -> dict[str, str]:
        if not self._precut:
            from haystack import connections

            self.build_schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return self._precut

    # -- documents ----------------------------------------------------------------------
    def _prepare_object(self, index, obj) -> dict:
        """haystack's prepared document with every text field pre-cut."""
        return self.precut(index.full_prepare(obj))

    def precut(self, prepared: Mapping[str, Any]) -> dict:
        doc = {key: value for key, value in prepared.items() if key != "boost"}
        # A digest of everything the index holds for the object, to find stale entries.
        doc[FINGERPRINT] = fingerprint(doc)
        for name, kind in self.precut_fields().items():
            value = doc.get(name)
            if kind == "omitted":
                doc.pop(name, None)
            elif isinstance(value, str):
                doc[name] = joined_chars(value) if kind == "chars" else joined_words(value)
        return doc

    def document(self, index, obj) -> dict | None:
        """The JSON document for one object (None when the index skips it), as sent to ES."""
        try:
            prepared = self._prepare_object(index, obj)
        except SkipDocument:
            return None
        doc = {key: self._from_python(value) for key, value in prepared.items()}
        doc["_id"] = doc[ID]
        return doc

    def forget_searcher(self) -> None:
        """Nothing to forget after a fork: every request is a new HTTP call."""

    # -- the outbox's writer interface (search/indexing/outbox.py) -----------------------------
    @contextlib.contextmanager
    def writer(self, timeout: float | None = None, **options) -> Iterator[BulkWriter]:
        """Collect updates and deletes, send them in one bulk request on success."""
        if not self.setup_complete:
            self.setup()
        batch = BulkWriter(self)
        yield batch
        batch.send(refresh=True)


class BulkWriter:
    """What search/indexing/outbox.py needs of a writer: update_document and delete_by_term."""

    def __init__(self, backend: ArchiveElasticsearchBackend):
        self.backend = backend
        self.actions: list[dict] = []

    def update_document(self, **doc) -> None:
        doc = dict(doc)
        doc.setdefault("_id", doc[ID])
        # Documents made by the Whoosh-style path (backend.document) are already cut into words.
        self.actions.append(doc)

    def delete_by_term(self, fieldname: str, value: str) -> None:
        if fieldname != ID:
            raise ValueError(f"only deletes by {ID} are supported, not by {fieldname}")
        self.actions.append({"_op_type": "delete", "_id": value})

    def send(self, refresh: bool = True) -> None:
        if not self.actions:
            return
        from elasticsearch.helpers import bulk

        # A failed write raises, so search/indexing/outbox.py keeps the outbox rows for the next flush;
        # deleting a document that is already gone (404) is not a failure.
        bulk(self.backend.conn, self.actions, index=self.backend.index_name, ignore_status=(404,))
        if refresh:
            self.backend.conn.indices.refresh(index=self.backend.index_name)
        self.actions = []


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
    query = Elasticsearch7SearchQuery
