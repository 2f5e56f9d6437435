"""Full-text search over the archive: one function the HTML page and the JSON API both
call.

A query is parsed (search/service/query.py), planned with the listing filters and the
loosening rule (search/service/plan.py), run by the configured engine
(search/engines/), counted into facets, and its hits loaded from the database in one
query and highlighted in the script they were published in.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import EmptyPage
from django.utils.safestring import SafeString

from archive.models import Article
from archive.text.fold import normalize
from search.engines.base import Found, HitPage
from search.engines.current import current_engine
from search.service import highlight
from search.service.plan import (
    ENTITY_FACET_LIMIT,
    FACET_FIELDS,
    MULTIVALUED_FACETS,
    SearchPlan,
    search_filters,
    with_loosening,
)
from search.service.query import ParsedQuery, parse_query


@dataclass
class Hit:
    article: Article
    headline_html: SafeString
    snippet_html: SafeString
    score: float | None
    also_in: list[Article] = field(default_factory=list)


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    per_page: int
    facets: dict[str, list[FacetCount]]
    loosened: bool = False
    suggestions: list[str] = field(default_factory=list)
    # Every match, for questions about all of them (the timeline) without searching again.
    found: Found | None = field(default=None, repr=False)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def find(data: Mapping[str, Any]) -> tuple[ParsedQuery, Found | None, bool]:
    """The query in data['q'] run with every filter in data, as the loosening rule says:
    the parsed query, every match (None when there is nothing to search for), and whether
    the query was loosened."""
    parsed = parse_query(data.get("q") or "")
    engine = current_engine()
    filters = search_filters(data)
    sort = data.get("sort") or "relevance"

    def run(query: ParsedQuery, loose: bool) -> Found | None:
        return engine.find(SearchPlan(query, loose, filters, sort))

    found, loosened = with_loosening(parsed, run, lambda matches: matches.count)
    return parsed, found, loosened


def search_articles(data: Mapping[str, Any], per_page: int) -> SearchResults:
    """Run the query in data['q'] with every filter in data; raises EmptyPage past the last page."""
    page = data.get("page") or 1
    parsed, found, loosened = find(data)
    if found is None or found.count == 0:
        return SearchResults(parsed, [], 0, 1, 1, per_page, _empty_facets(), loosened, suggest(parsed))
    hit_page = found.page(page, per_page)
    num_pages = max(1, -(-hit_page.total // per_page))
    if page > num_pages:
        raise EmptyPage(f"第 {page} 页不存在(共 {num_pages} 页)。")
    hits = _load_hits(hit_page, parsed)
    return SearchResults(parsed, hits, hit_page.total, page, num_pages, per_page, _facets(found), loosened,
                         found=found)


def _facets(found: Found) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {}
    for name in FACET_FIELDS:
        if name in MULTIVALUED_FACETS:
            counts = found.multi_value_counts(name, limit=ENTITY_FACET_LIMIT)
        else:
            counts = found.value_counts(name)
        rows = [FacetCount(str(value), count) for value, count in counts.items() if value not in (None, "")]
        if name == "year":
            rows.sort(key=lambda row: row.value, reverse=True)
        else:
            rows.sort(key=lambda row: (-row.count, row.value))
        facets[name] = rows[:ENTITY_FACET_LIMIT] if name in MULTIVALUED_FACETS else rows
    return facets


def _empty_facets() -> dict[str, list[FacetCount]]:
    return {name: [] for name in FACET_FIELDS}


def _empty_facets() -> dict[str, list[FacetCount]]:
    return {name: [] for name in FACET_FIELDS}


def _load_hits(results: HitPage, parsed: ParsedQuery) -> list[Hit]:
    """The page's articles in one database query, in result order, highlighted (and other
    copies of their stories in a second, when the index holds any)."""
    ids = [pk for pk, _score in results.hits]
    scores = [score for _pk, score in results.hits]
    articles = Article.objects.for_listing().order_by().in_bulk(ids)  # in `ids` order below: no ORDER BY
    copies = _copies([article for article in articles.values()]) if results.copied else {}
    words = parsed.highlight_words
    hits = []
    for pk, score in zip(ids, scores, strict=False):
        article = articles.get(pk)
        if article is None:
            continue  # deleted since it was indexed; the outbox will remove it
        hits.append(Hit(
            article=article,
            headline_html=highlight.highlight(article.headline, words),
            snippet_html=highlight.snippet(article.body, words),
            score=score,
            also_in=copies.get(article.story_key, []),
        ))
    return hits


def _copies(articles: list[Article]) -> dict[str, list[Article]]:
    """Other copies of the page's stories, in one query."""
    keys = {article.story_key for article in articles if article.story_key}
    if not keys:
        return {}
    grouped: dict[str, list[Article]] = {}
    others = (
        Article.objects.filter(story_key__in=keys).exclude(pk__in=[a.pk for a in articles])
        .select_related("section__publication")
        .only("pk", "story_key", "date", "headline", "section__publication__name")
    )
    for other in others.order_by("date", "pk"):
        grouped.setdefault(other.story_key, []).append(other)
    return grouped


def suggest(parsed: ParsedQuery, limit: int = 5) -> list[str]:
    """Indexed words close to the query's words: longer words that start with them,
    or the longest known words they start with."""
    words = [normalize(term.text).replace(" ", "") for clause in parsed.positive for term in clause.terms]
    return current_engine().suggestions([word for word in words if word], limit)
