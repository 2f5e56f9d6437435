"""Aggregations: the counts a results page shows, the index's words, and reading them
back into the shapes the Whoosh engine returns (search/engines/whoosh/matchset.py).

Request and response shapes are those of the Elasticsearch 8.19 reference (terms, cardinality,
date_histogram and composite aggregations; the 7.17 client reads them in REST compatibility
mode, where they are unchanged). tests/test_elasticsearch_engine.py pins both.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from search.engines.elasticsearch.terms import STORY_GROUP, WORDS
from search.service.plan import ENTITY_FACET_LIMIT, FACET_FIELDS, MULTIVALUED_FACETS

#: Enough buckets for every value of a one-value field (cities, publications, years …): Whoosh
#: counts them all. Below the default search.max_buckets (65,536).
ALL_VALUES = 10_000
#: cardinality is exact in practice below this many stories, approximate (HyperLogLog++) above.
PRECISION_THRESHOLD = 40_000
#: Most articles first, ties by value: Whoosh's order for facets and suggestions.
BY_COUNT = [{"_count": "desc"}, {"_key": "asc"}]
STORIES, MONTHS, CITY = "stories", "months", "city"


def terms(field: str, size: int, **options: Any) -> dict:
    return {"terms": {"field": field, "size": size, "order": BY_COUNT, **options}}


def facet_size(field: str) -> int:
    return ENTITY_FACET_LIMIT if field in MULTIVALUED_FACETS else ALL_VALUES


def month_city() -> dict:
    """Dated matches per month (first day, as yyyy-MM-dd), and per city within each month."""
    return {
        "date_histogram": {"field": "date", "calendar_interval": "month", "format": "yyyy-MM-dd",
                           "min_doc_count": 1},
        "aggs": {CITY: {"terms": {"field": CITY, "size": ALL_VALUES, "missing": ""}}},
    }


def summary_aggs() -> dict:
    """Everything a results page counts over all matches, in one request: the facets, the
    stories, the month × city timeline."""
    aggs = {field: terms(field, facet_size(field)) for field in FACET_FIELDS}
    aggs[STORIES] = {"cardinality": {"field": STORY_GROUP, "precision_threshold": PRECISION_THRESHOLD}}
    aggs[MONTHS] = month_city()
    return aggs


# -- reading responses ----------------------------------------------------------------
def total_hits(response: Mapping) -> int:
    """hits.total: an object ({"value", "relation": "eq"} with track_total_hits: true), or a
    number where rest_total_hits_as_int is set."""
    total = response["hits"]["total"]
    return int(total["value"] if isinstance(total, Mapping) else total)


def bucket_counts(agg: Mapping, limit: int | None = None) -> Counter:
    """A terms aggregation as value → articles (the first `limit` buckets: they come ordered)."""
    buckets = agg["buckets"][:limit] if limit is not None else agg["buckets"]
    return Counter({bucket["key"]: int(bucket["doc_count"]) for bucket in buckets})


def month_city_counts(agg: Mapping) -> Counter:
    """(first day of month, city) → dated matches, city "" when unknown (Whoosh's keys)."""
    counts: Counter = Counter()
    for month in agg["buckets"]:
        day = dt.date.fromisoformat(month["key_as_string"])
        for city in month[CITY]["buckets"]:
            counts[(day, city["key"])] += int(city["doc_count"])
    return counts


def per_year_when_long(counts: Counter, years_beyond: int | None) -> Counter:
    """Month × city counts, folded into years (keyed by January 1) when the months run over
    `years_beyond` or more (search/engines/whoosh/matchset.py month_city_counts)."""
    if years_beyond is None or not counts:
        return counts
    months = [day.year * 12 + day.month - 1 for day, _city in counts]
    if max(months) - min(months) < years_beyond:
        return counts
    per_year: Counter = Counter()
    for (day, city), count in counts.items():
        per_year[(dt.date(day.year, 1, 1), city)] += count
    return per_year


# -- the vocabulary (the `words` field) -------------------------------------------------
def literal(text: str) -> str:
    """`text` as a Lucene regular expression matching it alone (every symbol escaped)."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in text)


def prefix_aggs(word: str, size: int) -> dict:
    """For each prefix of `word` of two characters or more, the commonest words starting with it."""
    return {f"prefix_{cut}": terms(WORDS, size, include=literal(word[:cut]) + ".*")
            for cut in range(len(word), 1, -1)}


def longest_prefix_words(response: Mapping, word: str) -> list[str]:
    """The words of the longest prefix that has any (prefix_aggs' answer)."""
    aggs = response.get("aggregations", {})
    for cut in range(len(word), 1, -1):
        found = [bucket["key"] for bucket in aggs.get(f"prefix_{cut}", {}).get("buckets", [])]
        if found:
            return found
    return []


def word_counts_body(words: list[str]) -> dict:
    """How many articles hold each of these words (the `words` keyword field)."""
    return {"size": 0, "track_total_hits": False, "query": {"terms": {WORDS: words}},
            "aggs": {"counts": {"terms": {"field": WORDS, "include": list(words), "size": len(words)}}}}


def word_counts(response: Mapping) -> dict[str, int]:
    """word → articles, from word_counts_body's answer (a word no article holds is absent)."""
    buckets = response.get("aggregations", {}).get("counts", {}).get("buckets", [])
    return {bucket["key"]: int(bucket["doc_count"]) for bucket in buckets}
