"""Scale-out path: Elasticsearch behind haystack, with the archive's own Chinese analysis.

Elasticsearch never analyses Chinese here. Every text field is sent *pre-cut*: the same
normalisation (Traditional → Simplified, full-width → half-width, lower case) and the same
jieba word cut with the project's dictionaries that the Whoosh index uses (archive/text/,
search/analysis.py), as terms joined by single spaces; the mapping splits them again on
whitespace only. So both engines index the same terms and a query finds the same articles
in either, with no ES plugin (IK, smartcn, STConvert) to install.

- ``text``, ``headline``, ``byline``: jieba words (``query_terms``), whitespace analyzer;
- ``chars``: one term per character (``char_terms``): one-ideograph queries (港 in 香港);
- ``grams``, ``words``, ``story_group``: what search/engines/elasticsearch/terms.py says;
- filter and facet fields (city, district, publication, kind, year, story, and the
  multi-valued industry/company/person/place): ``keyword``; ``date``: ``date``;
  ``django_id``: ``long`` (the order's tiebreaker);
- only ids, fingerprint and keyword values are kept in ``_source`` (the database has the text);
- field boosts (headline 3×) are applied at query time, as ES deprecates them in mappings.

Searching goes through the engine seam (search/engines/elasticsearch/), which calls
:meth:`ArchiveElasticsearchBackend.search`; ``rebuild_index``/``update_index`` and the
index outbox (admin saves, ingest; :meth:`writer`) write. Every request that cannot reach
the cluster raises EngineUnavailable (a 503 naming the engine; the outbox keeps its rows).

Configure with ``ARCHIVE_SEARCH_ENGINE=elasticsearch`` and ``ARCHIVE_ELASTICSEARCH_URL``
(archive/settings/base.py, which also switches on the client's REST compatibility mode for
Elasticsearch 8). Importing this module needs the ``elasticsearch`` 7.17 client (haystack's
backend requires a 7.x client); nothing else in the archive imports it.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import elasticsearch
from elasticsearch.helpers import bulk
from haystack import connections
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument

from search.engines.base import EngineUnavailable
from search.engines.elasticsearch.compile import TIEBREAKER
from search.engines.elasticsearch.found import ENGINE, walk
from search.engines.elasticsearch.terms import (
    GRAMS,
    STORY_GROUP,
    WORDS,
    distinct_words,
    gram_runs,
    joined_chars,
    joined_words,
)
from search.indexing.fingerprint import FINGERPRINT, fingerprint

ANALYZER = "archive_pretokenized"
CHARS_FIELD_TYPE = "chars"
GRAMS_FIELD_TYPE = "grams"
KEYWORD_FIELD_TYPE = "keyword"
NOT_IN_SOURCE = ("text", "chars", GRAMS, WORDS)
#: Statuses of a cluster that is up but cannot serve now: overloaded, restarting, refusing us.
UNAVAILABLE_STATUSES = frozenset({401, 403, 429, 502, 503, 504})
FINGERPRINT_CHUNK = 5000

logger = logging.getLogger(__name__)


def as_arguments(body: Mapping[str, Any]) -> dict:
    """A request body as the 7.17 client's keyword arguments (its `body=` is deprecated)."""
    return {("from_" if key == "from" else key): value for key, value in body.items()}


def public_url(url: str) -> str:
    """The cluster's URL without credentials, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


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
        self.url = connection_options["URL"]
        self.client_options = connection_options.get("KWARGS", {})
        # Errors must reach the outbox (which keeps its rows) or the web layer (a 503): a
        # swallowed setup error let the first bulk request create the index with a guessed mapping.
        self.silently_fail = False
        self._precut: dict[str, str] = {}  # index field name -> "words", "chars" or "grams"

    # -- errors -------------------------------------------------------------------------
    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        """A cluster that cannot be reached, or cannot serve now, becomes EngineUnavailable
        naming it; any other error (a malformed request: a bug) stays what it is."""
        where = f"the {ENGINE} search engine at {public_url(self.url)}"
        try:
            yield
        except elasticsearch.ConnectionError as exc:  # refused, timed out, TLS failed
            logger.warning("%s: %s", where, exc)
            raise EngineUnavailable(ENGINE, f"{where} is not reachable") from exc
        except elasticsearch.UnsupportedProductError as exc:  # e.g. OpenSearch
            raise EngineUnavailable(ENGINE, f"{where} is not a supported Elasticsearch server ({exc})") from exc
        except elasticsearch.TransportError as exc:
            if exc.status_code not in UNAVAILABLE_STATUSES:
                raise
            raise EngineUnavailable(ENGINE, f"{where} is not answering (HTTP {exc.status_code}: {exc.error})") from exc

    # -- mapping ------------------------------------------------------------------------
    def _get_common_mapping(self) -> dict:
        return {
            ID: {"type": "keyword"},
            DJANGO_CT: {"type": "keyword"},
            DJANGO_ID: {"type": "long"},
            FINGERPRINT: {"type": "keyword", "index": False, "doc_values": False},
            WORDS: {"type": "keyword", "index": False},  # read by aggregations only (doc values)
            STORY_GROUP: {"type": "keyword"},
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
            else:
                mapping[name] = dict(self.TEXT_MAPPING)
                precut[name] = {CHARS_FIELD_TYPE: "chars", GRAMS_FIELD_TYPE: "grams"}.get(field.field_type, "words")
        self._precut = precut
        return content_field_name, mapping

    def precut_fields(self) -> dict[str, str]:
        if not self._precut:
            self.build_schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return self._precut

    def setup(self) -> None:
        """Create the index with the archive's settings and mapping, or add this mapping to
        the index there (new fields are added; a field whose type changed is refused: then
        the index needs `manage.py rebuild_index`)."""
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, field_mapping = self.build_schema(fields)
        mapping = self._get_current_mapping(field_mapping)
        with self.answering():
            self.conn.indices.create(index=self.index_name, settings=self.DEFAULT_SETTINGS["settings"],
                                     mappings=mapping, ignore=400)  # 400: it exists already
            try:
                self.conn.indices.put_mapping(index=self.index_name, body=mapping)
            except elasticsearch.RequestError as exc:
                raise EngineUnavailable(ENGINE, f"the {ENGINE} index {self.index_name} was built for another "
                                                f"version of the archive ({exc.error}); run manage.py rebuild_index") from exc
        self.existing_mapping = mapping
        self.setup_complete = True

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
            if not isinstance(value, str):
                continue
            if kind == "grams":
                doc[name] = gram_runs(value)
            else:
                doc[name] = joined_chars(value) if kind == "chars" else joined_words(value)
        doc[WORDS] = distinct_words(doc.get("text") or "")
        doc[STORY_GROUP] = doc.get("story") or doc[ID]
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
        """After a fork: a client of this process's own (its pooled connections are the parent's)."""
        self.conn = elasticsearch.Elasticsearch(self.url, timeout=self.timeout, **self.client_options)

    # -- reading ------------------------------------------------------------------------
    def search(self, body: dict) -> dict:
        """One search request on the archive's index (search/engines/elasticsearch/); an index
        deleted meanwhile (rebuild_index in another process) is made anew, empty."""
        with self.answering():
            if not self.setup_complete:
                self.setup()
            try:
                return self.conn.search(index=self.index_name, **as_arguments(body))
            except elasticsearch.NotFoundError:
                self.setup()
                return self.conn.search(index=self.index_name, **as_arguments(body))

    def document_count(self) -> int:
        with self.answering():
            if not self.setup_complete:
                self.setup()
            return int(self.conn.count(index=self.index_name)["count"])

    def stored_fingerprints(self) -> Iterator[tuple[str, str | None]]:
        """(document id, stored fingerprint) of every document: what check_index compares with
        the database (search/indexing/consistency.py), walked in id order."""
        body = {"query": {"match_all": {}}, "sort": [TIEBREAKER], "_source": [ID, FINGERPRINT]}
        for hit in walk(self.search, body, chunk=FINGERPRINT_CHUNK):
            source = hit.get("_source", {})
            yield source.get(ID, hit["_id"]), source.get(FINGERPRINT)

    # -- writing ------------------------------------------------------------------------
    def update(self, index, iterable, commit=True) -> None:
        """haystack's bulk update (update_index, rebuild_index); an unreachable cluster raises
        EngineUnavailable."""
        with self.answering():
            super().update(index, iterable, commit=commit)

    def remove(self, obj_or_string, commit=True) -> None:
        with self.answering():
            super().remove(obj_or_string, commit=commit)

    def clear(self, models=None, commit=True) -> None:
        with self.answering():
            super().clear(models=models, commit=commit)

    @contextlib.contextmanager
    def writer(self, timeout: float | None = None, **options) -> Iterator[BulkWriter]:
        """The outbox's writer (search/indexing/outbox.py): updates and deletes collected,
        sent in one bulk request on success."""
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
        # Documents made by the outbox's path (backend.document) are already cut into words.
        self.actions.append(doc)

    def delete_by_term(self, fieldname: str, value: str) -> None:
        if fieldname != ID:
            raise ValueError(f"only deletes by {ID} are supported, not by {fieldname}")
        self.actions.append({"_op_type": "delete", "_id": value})

    def send(self, refresh: bool = True) -> None:
        """One bulk request, then a refresh (the change is searchable when the save returns). A
        failed write raises, so the outbox keeps its rows for the next flush; deleting a document
        already gone (404) is not a failure."""
        if not self.actions:
            return
        with self.backend.answering():
            bulk(self.backend.conn, self.actions, index=self.backend.index_name, ignore_status=(404,))
            if refresh:
                self.backend.conn.indices.refresh(index=self.backend.index_name)
        self.actions = []


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
    query = Elasticsearch7SearchQuery
