"""Every match of one plan on Elasticsearch (search/engines/base.py Found): what a results
page, the export and the feed ask about them, each answered by one search request.

A results page costs two requests: the summary (the count, the stories, the facets and the
timeline, all aggregations of one size-0 search, made on first use and kept) and its page
of hits. Request and response shapes: the Elasticsearch 8.19 reference (search API with
``collapse``, ``search_after``, ``track_total_hits``).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from haystack.constants import DJANGO_ID

from search.engines.base import EngineUnsupported, HitPage
from search.engines.elasticsearch import aggs
from search.engines.elasticsearch.compile import ranks_by_score, sort_order
from search.engines.elasticsearch.terms import STORY_GROUP
from search.service.plan import ENTITY_FACET_LIMIT, FACET_FIELDS, MULTIVALUED_FACETS, SearchPlan

ENGINE = "elasticsearch"
#: from + size of a page may not pass index.max_result_window (10,000 by default).
RESULT_WINDOW = 10_000
#: Hits per request when walking every match (the export's ids, the consistency check).
WALK_CHUNK = 1000

Search = Callable[[dict], dict]


def walk(search: Search, body: dict, limit: int | None = None, chunk: int | None = None) -> Iterator[dict]:
    """Every hit of `body` in its sort order (which must end with a unique tiebreaker), a
    chunk per request, each after the last hit of the one before (search_after): no
    10,000-hit window and no scroll context left on the cluster."""
    chunk = chunk or WALK_CHUNK
    seen, after = 0, None
    while limit is None or seen < limit:
        size = chunk if limit is None else min(chunk, limit - seen)
        request = {**body, "size": size, "track_total_hits": False}
        if after is not None:
            request["search_after"] = after
        hits = search(request)["hits"]["hits"]
        yield from hits
        seen += len(hits)
        if len(hits) < size:
            return
        after = hits[-1]["sort"]


def hit_article_id(hit: Mapping) -> int:
    return int(hit["_source"][DJANGO_ID])


def scored(hit: Mapping, by_score: bool) -> tuple[int, float]:
    """(article id, score); 0.0 when ordered by date, as on Whoosh."""
    return hit_article_id(hit), (float(hit.get("_score") or 0.0) if by_score else 0.0)


@dataclass
class ElasticsearchFound:
    """Every match of one plan: `query` (search/engines/elasticsearch/compile.py) run by `search`."""

    plan: SearchPlan
    query: dict
    search: Search

    @cached_property
    def summary(self) -> dict:
        """The count and every aggregation of the results page, in one request."""
        return self.search({"query": self.query, "size": 0, "track_total_hits": True, "aggs": aggs.summary_aggs()})

    @property
    def count(self) -> int:
        return aggs.total_hits(self.summary)

    def story_count(self) -> int:
        """Matches counted as stories (an article without a story key is a story of its own)."""
        return int(self.summary["aggregations"][aggs.STORIES]["value"]) if self.count else 0

    def page(self, page: int, per_page: int) -> HitPage:
        """One page of rows: the best article of each story (collapsed on story_group), or
        every article when the plan does not collapse."""
        total = self.story_count() if self.plan.collapse else self.count
        start = (max(page, 1) - 1) * per_page
        if start >= total:
            return HitPage(total, [], copied=self.plan.collapse)
        if start + per_page > RESULT_WINDOW:
            raise EngineUnsupported(ENGINE, f"result pages past the {RESULT_WINDOW:,}th row")
        body = self._ordered({"from": start, "size": per_page, "track_total_hits": False})
        if self.plan.collapse:
            body["collapse"] = {"field": STORY_GROUP}
        by_score = ranks_by_score(self.plan.sort)
        hits = [scored(hit, by_score) for hit in self.search(body)["hits"]["hits"]]
        return HitPage(total, hits, copied=self.plan.collapse)

    def ids(self, limit: int) -> list[int]:
        """Ids of the first `limit` matches in the plan's order (copies not collapsed)."""
        if limit <= 0 or not self.count:
            return []
        return [hit_article_id(hit) for hit in walk(self.search, self._ordered({}), limit)]

    def value_counts(self, field: str) -> Counter:
        if field in FACET_FIELDS and field not in MULTIVALUED_FACETS:
            return aggs.bucket_counts(self.summary["aggregations"][field])
        return self._counts(field, aggs.ALL_VALUES)

    def multi_value_counts(self, field: str, limit: int) -> Counter:
        """The `limit` values most matches hold (ties: the first by value)."""
        if field in MULTIVALUED_FACETS and limit <= ENTITY_FACET_LIMIT:
            return aggs.bucket_counts(self.summary["aggregations"][field], limit)
        return self._counts(field, limit)

    def month_city_counts(self, years_beyond: int | None) -> Counter:
        if not self.count:
            return Counter()
        counts = aggs.month_city_counts(self.summary["aggregations"][aggs.MONTHS])
        return aggs.per_year_when_long(counts, years_beyond)

    def _counts(self, field: str, size: int) -> Counter:
        body = {"query": self.query, "size": 0, "track_total_hits": False, "aggs": {field: aggs.terms(field, size)}}
        return aggs.bucket_counts(self.search(body)["aggregations"][field])

    def _ordered(self, body: dict) -> dict:
        """A hits request in the plan's order, reading only the article id."""
        ordered = {"query": self.query, "sort": sort_order(self.plan.sort), "_source": [DJANGO_ID], **body}
        if ranks_by_score(self.plan.sort):
            ordered["track_scores"] = True
        return ordered
