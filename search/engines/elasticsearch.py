"""The Elasticsearch engine behind the seam (search/engines/base.py): the archive's query
language compiled to ES request bodies (terms pre-cut as the index has them:
search/elasticsearch.py). Running them is the next step; until then every question raises
EngineUnsupported, which the web layer answers with a 503 naming the engine. No client
needed to import this module.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from archive.text.words import char_terms, query_terms
from search.engines.base import EngineUnsupported
from search.service.plan import (
    ENTITY_FACET_LIMIT,
    FACET_FIELDS,
    FIELD_BOOSTS,
    MULTIVALUED_FACETS,
    SearchFilters,
    SearchPlan,
    loose_clauses,
    query_spellings,
    search_filters,
)


class ElasticsearchEngine:
    """search/engines/base.py SearchEngine; nothing runs on Elasticsearch yet."""

    name = "elasticsearch"

    def __init__(self, backend) -> None:
        self.backend = backend

    def find(self, plan: SearchPlan):
        raise EngineUnsupported(self.name, "full-text search")

    def suggestions(self, words: list[str], limit: int) -> list[str]:
        raise EngineUnsupported(self.name, "word suggestions")

    def close_words(self, word: str, limit: int) -> list[str]:
        raise EngineUnsupported(self.name, "did-you-mean suggestions")

    def vocabulary(self, min_docs: int):
        raise EngineUnsupported(self.name, "the vocabulary for pinyin suggestions")

    def related_ids(self, article_id: int, text: str, limit: int) -> list[int]:
        raise EngineUnsupported(self.name, "related articles")


def joined_words(value: str) -> str:
    """The word-field terms of `value` (normalised, cut into words by jieba), joined by spaces."""
    return " ".join(query_terms(value))


def joined_chars(value: str) -> str:
    """The char-field terms of `value` (one per character; numbers and letter runs whole)."""
    return " ".join(char_terms(value))




def _phrase(field: str, text: str) -> dict:
    return {"match_phrase": {field: {"query": text, "boost": FIELD_BOOSTS.get(field, 1.0)}}}


def term_query(term) -> dict | None:
    """One term of the query language (search.query.Term): a substring of the text (phrase on
    the character field) ranked by the word fields; or, with headline:/byline:, words there."""
    words = joined_words(term.text)
    if term.field == "byline":
        return _phrase("byline", words) if words else None
    if term.field == "headline":
        return _phrase("headline", words) if words else None
    spellings = [joined_chars(spelling) for spelling in query_spellings(term.text)]
    spellings = [chars for chars in spellings if chars]
    should = [_phrase(field, words) for field in ("headline", "text") if words]
    if spellings:
        required = [_phrase("chars", chars) for chars in spellings]
        must = required[0] if len(required) == 1 else {"bool": {"should": required, "minimum_should_match": 1}}
        return {"bool": {"must": [must], "should": should}}
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
        positive, minimum = loose_clauses(positive)
        combined: dict = {"bool": {"should": positive, "minimum_should_match": minimum}}
    else:
        combined = {"bool": {"must": positive}}
    negative = [query for query in map(clause_query, parsed.negative) if query is not None]
    if negative:
        combined["bool"]["must_not"] = negative
    return combined


def filter_clauses(filters: SearchFilters) -> list[dict]:
    """The listing filters as ES filter clauses."""
    clauses: list[dict] = [{"term": {name: value}} for name, value in filters.values.items()]
    if filters.year:
        clauses.append({"term": {"year": filters.year}})
    if filters.start or filters.end:
        bounds = {}
        if filters.start:
            bounds["gte"] = f"{filters.start.isoformat()}T00:00:00"
        if filters.end:
            bounds["lte"] = f"{filters.end.isoformat()}T23:59:59"
        clauses.append({"range": {"date": bounds}})
    return clauses


def search_body(parsed, data: Mapping[str, Any], page: int = 1, per_page: int = 20,
                sort: str = "relevance", loose: bool = False) -> dict | None:
    """The ES request body for a parsed query (search.query.parse_query) with the listing
    filters in `data`: hits of one page, one per story, and the facet counts."""
    query = compile_query(parsed, loose=loose)
    if query is None:
        return None
    filters = filter_clauses(search_filters(data))
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
