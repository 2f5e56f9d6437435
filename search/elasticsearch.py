"""Scale-out path: Elasticsearch 7 behind haystack, with the archive's own Chinese analysis.

Elasticsearch never analyses Chinese here. Every text field is sent *pre-segmented*: the
same normalisation (Traditional → Simplified, full-width → half-width, lower case) and the
same jieba segmentation with the project's dictionaries that the Whoosh index uses
(search/analysis.py), as terms joined by single spaces; the mapping splits them again on
whitespace only. So both engines index the same terms at the same positions and a query
finds the same articles in either, with no ES plugin (IK, smartcn, STConvert) to install.

- ``text``, ``headline``, ``byline``: jieba words (``query_terms``), whitespace analyzer;
- ``chars``: one term per character (``char_terms``), so a phrase query of characters is a
  substring search (港 in 香港), as on Whoosh;
- filter and facet fields (city, district, publication, kind, year, story, and the
  multi-valued industry/company/person/place): ``keyword``; ``date``: ``date``;
- ``text`` and ``chars`` are indexed but left out of ``_source`` (the database has the text);
- field boosts (headline 3×) are applied at query time (:func:`search_body`), as ES 7
  deprecates them in mappings.

Configure with ``ARCHIVE_SEARCH_ENGINE=elasticsearch`` and ``ARCHIVE_ELASTICSEARCH_URL``
(archive/settings.py). ``rebuild_index``/``update_index`` and the index outbox (admin saves,
ingest) write to it — :meth:`ArchiveElasticsearchBackend.writer` gives the outbox the same
interface as the Whoosh backend. Importing this module needs the ``elasticsearch>=7,<8``
client; nothing else in the archive imports it.

The results page and API (search/service/results.py) still query Whoosh directly; :func:`search_body`
compiles the archive's query language to the equivalent ES request body for the day the
service gets an ES path.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from typing import Any, Iterator, Mapping

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument

from archive.text.words import char_terms, query_terms

ANALYZER = "archive_pretokenized"
CHARS_FIELD_TYPE = "chars"
KEYWORD_FIELD_TYPE = "keyword"
FINGERPRINT = "fingerprint"
NOT_IN_SOURCE = ("text", "chars")
QUERY_BOOSTS = {"headline": 3.0, "text": 1.0, "chars": 0.3, "byline": 1.0}


def fingerprint(doc: Mapping[str, Any]) -> str:
    payload = {key: str(value) for key, value in doc.items() if key != FINGERPRINT and value not in (None, "")}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def segmented_words(value: str) -> str:
    """The word-field terms of `value` (normalised, jieba-segmented), joined by spaces."""
    return " ".join(query_terms(value))


def segmented_chars(value: str) -> str:
    """The char-field terms of `value` (one per character; numbers and letter runs whole)."""
    return " ".join(char_terms(value))


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {
        "settings": {
            "index": {"max_ngram_diff": 2},
            "analysis": {
                "analyzer": {
                    # The text arrives segmented and normalised: split on spaces, nothing else.
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
        self._segmented: dict[str, str] = {}  # index field name -> "words" or "chars"

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
        segmented: dict[str, str] = {}
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
                segmented[name] = "chars"
            else:
                mapping[name] = dict(self.TEXT_MAPPING)
                segmented[name] = "words"
        self._segmented = segmented
        return content_field_name, mapping

    def segmented_fields(self) -> dict[str, str]:
        if not self._segmented:
            from haystack import connections

            self.build_schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return self._segmented

    # -- documents ----------------------------------------------------------------------
    def _prepare_object(self, index, obj) -> dict:
        """haystack's prepared document with every text field pre-segmented."""
        return self.segment(index.full_prepare(obj))

    def segment(self, prepared: Mapping[str, Any]) -> dict:
        doc = {key: value for key, value in prepared.items() if key != "boost"}
        # A digest of everything the index holds for the object, to find stale entries.
        doc[FINGERPRINT] = fingerprint(doc)
        for name, kind in self.segmented_fields().items():
            value = doc.get(name)
            if isinstance(value, str):
                doc[name] = segmented_chars(value) if kind == "chars" else segmented_words(value)
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
    def writer(self, timeout: float | None = None, **options) -> Iterator["BulkWriter"]:
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
        # Documents made by the Whoosh-style path (backend.document) are already segmented.
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


# -- queries ---------------------------------------------------------------------------
FACET_FIELDS = ("city", "district", "publication", "year", "kind", "industry", "company", "person", "place")
MULTIVALUED_FACETS = {"industry", "company", "person", "place"}
ENTITY_FACET_LIMIT = 20
FILTER_FIELDS = ("city", "district", "publication", "kind", "industry", "company", "person", "place")
MAX_LOOSE_TERMS = 32


def _phrase(field: str, text: str) -> dict:
    return {"match_phrase": {field: {"query": text, "boost": QUERY_BOOSTS.get(field, 1.0)}}}


def term_query(term) -> dict | None:
    """One term of the query language (search.query.Term): a substring of the text (phrase on
    the character field) ranked by the word fields; or, with headline:/byline:, words there."""
    words = segmented_words(term.text)
    if term.field == "byline":
        return _phrase("byline", words) if words else None
    if term.field == "headline":
        return _phrase("headline", words) if words else None
    chars = segmented_chars(term.text)
    should = [_phrase(field, words) for field in ("headline", "text") if words]
    if chars:
        return {"bool": {"must": [_phrase("chars", chars)], "should": should}}
    return {"bool": {"should": should, "minimum_should_match": 1}} if should else None


def clause_query(clause) -> dict | None:
    """Alternatives joined by OR."""
    parts = [query for query in map(term_query, clause.terms) if query is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"bool": {"should": parts, "minimum_should_match": 1}}


def compile_query(parsed, loose: bool = False) -> dict | None:
    """All positive clauses must match (when loose: half of them, ranked); negatives must not."""
    positive = [query for query in map(clause_query, parsed.positive) if query is not None]
    if not positive:
        return None
    if loose:
        positive = positive[:MAX_LOOSE_TERMS]
        combined: dict = {"bool": {"should": positive, "minimum_should_match": max(1, len(positive) // 2)}}
    else:
        combined = {"bool": {"must": positive}}
    negative = [query for query in map(clause_query, parsed.negative) if query is not None]
    if negative:
        combined["bool"]["must_not"] = negative
    return combined


def filter_clauses(data: Mapping[str, Any]) -> list[dict]:
    """The listing filters as ES filter clauses (the same as search.service.filter_query)."""
    filters: list[dict] = [{"term": {name: data[name]}} for name in FILTER_FIELDS if data.get(name)]
    start, end = data.get("date_from"), data.get("date_to")
    year, month = data.get("year"), data.get("month")
    if year and month:
        start = max(filter(None, [start, dt.date(year, month, 1)]))
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        end = min(filter(None, [end, next_month - dt.timedelta(days=1)]))
    elif year:
        filters.append({"term": {"year": str(year)}})
    if start or end:
        bounds = {}
        if start:
            bounds["gte"] = f"{start.isoformat()}T00:00:00"
        if end:
            bounds["lte"] = f"{end.isoformat()}T23:59:59"
        filters.append({"range": {"date": bounds}})
    return filters


def search_body(parsed, data: Mapping[str, Any], page: int = 1, per_page: int = 20,
                sort: str = "relevance", loose: bool = False) -> dict | None:
    """The ES request body for a parsed query (search.query.parse_query) with the listing
    filters in `data`: hits of one page, one per story, and the facet counts."""
    query = compile_query(parsed, loose=loose)
    if query is None:
        return None
    filters = filter_clauses(data)
    if filters:
        query = {"bool": {"must": [query], "filter": filters}}
    body: dict = {
        "query": query,
        "from": (max(page, 1) - 1) * per_page,
        "size": per_page,
        "track_total_hits": True,
        "_source": [ID, DJANGO_CT, DJANGO_ID],
        "collapse": {"field": "story"},
        "aggs": {
            name: {"terms": {"field": name, "size": ENTITY_FACET_LIMIT if name in MULTIVALUED_FACETS else 500}}
            for name in FACET_FIELDS
        },
    }
    if sort in ("newest", "oldest"):
        body["sort"] = [{"date": {"order": "desc" if sort == "newest" else "asc", "missing": "_last"}}, "_score"]
    return body
