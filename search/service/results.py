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

from archive.listing import DEPENDENT_FILTERS, with_day_range
from archive.models import Article
from search.engines.base import Found, HitPage
from search.engines.current import current_engine
from search.service import highlight
from search.service.plan import (
    ENTITY_FACET_LIMIT,
    FACET_FIELDS,
    MULTIVALUED_FACETS,
    SearchPlan,
    collapses,
    query_spellings,
    search_filters,
    with_loosening,
)
from search.service.query import ParsedQuery, parse_query
from search.service.suggest import suggestions
from search.service.synonyms import with_synonyms


@dataclass
class Hit:
    article: Article
    headline_html: SafeString
    snippet_html: SafeString
    score: float | None
    also_in: list[Article] = field(default_factory=list)  # the story's other copies (collapsed rows only)
    matched_words: list[str] = field(default_factory=list)  # of a loosened query: the words this hit has


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit]
    total: int  # rows: stories when collapsed, articles otherwise
    page: int
    num_pages: int
    per_page: int
    facets: dict[str, list[FacetCount]]  # counts of articles (every copy counts)
    loosened: bool = False
    suggestions: list[str] = field(default_factory=list)
    # Every match, for questions about all of them (the timeline) without searching again.
    found: Found | None = field(default=None, repr=False)
    collapsed: bool = True
    articles: int = 0  # matching articles, copies included
    also_searched: list[str] = field(default_factory=list)  # synonyms added to the query
    searched: ParsedQuery | None = None  # what was run: synonyms added, loosened into words

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def highlight_words(self) -> list[str]:
        """What to mark in these results: every spelling of every word searched."""
        return marked_words(self.searched or self.query)


@dataclass
class Search:
    """A query run with its filters: what the reader typed, what was run, and every match."""

    parsed: ParsedQuery
    searched: ParsedQuery
    found: Found | None
    loosened: bool
    also_searched: list[str]


def marked_words(parsed: ParsedQuery) -> list[str]:
    """The query's words in every spelling articles may use (晶片 marks 芯片 too), longest first."""
    words = {spelling for word in parsed.highlight_words for spelling in query_spellings(word)}
    return sorted(words | set(parsed.highlight_words), key=len, reverse=True)


def find(data: Mapping[str, Any]) -> Search:
    """The query in data['q'] run with every filter in data, as the loosening rule says,
    with synonyms added."""
    parsed = parse_query(data.get("q") or "")
    expanded, added = with_synonyms(parsed)
    engine = current_engine()
    filters = search_filters(data)
    sort = data.get("sort") or "relevance"
    collapse = collapses(data)
    ran: list[ParsedQuery] = []

    def run(query: ParsedQuery, loose: bool) -> Found | None:
        ran.append(query)
        return engine.find(SearchPlan(query, loose, filters, sort, collapse))

    found, loosened = with_loosening(expanded, run, lambda matches: matches.count)
    return Search(parsed, ran[-1] if ran else expanded, found, loosened, added)


def search_articles(data: Mapping[str, Any], per_page: int, nearest_page: bool = False) -> SearchResults:
    """Run the query in data['q'] with every filter in data; past the last page raises
    EmptyPage, or with `nearest_page` answers the last page (the caller sees `page` differ)."""
    page = data.get("page") or 1
    search = find(data)
    found, collapse = search.found, collapses(data)
    if found is None or found.count == 0:
        return SearchResults(search.parsed, [], 0, 1, 1, per_page, _empty_facets(), search.loosened,
                             suggestions(search.parsed, current_engine()), collapsed=collapse,
                             also_searched=search.also_searched, searched=search.searched)
    hit_page = found.page(page, per_page)
    num_pages = max(1, -(-hit_page.total // per_page))
    if page > num_pages and not nearest_page:
        raise EmptyPage(f"第 {page} 页不存在(共 {num_pages} 页)。")
    if page > num_pages:
        page = num_pages
        hit_page = found.page(page, per_page)
    words = marked_words(search.searched)
    hits = _load_hits(hit_page, words, search.loosened)
    hints = suggestions(search.parsed, current_engine()) if search.loosened else []
    return SearchResults(search.parsed, hits, hit_page.total, page, num_pages, per_page, _facets(found),
                         search.loosened, hints, found=found, collapsed=collapse, articles=found.count,
                         also_searched=search.also_searched, searched=search.searched)


def facet_counts_without(data: Mapping[str, Any], name: str) -> list[FacetCount]:
    """One facet's counts for the same query with every filter but its own and those depending on
    it (a year's month and day): what switching that filter would find, as the panel's links
    switch it."""
    found = find(with_day_range({**data, name: None, **{key: None for key in DEPENDENT_FILTERS.get(name, ())}})).found
    return _facets(found, (name,))[name] if found is not None and found.count else []


def _facets(found: Found, names: tuple[str, ...] = FACET_FIELDS) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {}
    for name in names:
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


def _load_hits(results: HitPage, words: list[str], loosened: bool) -> list[Hit]:
    """The page's articles in one database query, in result order, highlighted (and other
    copies of their stories in a second, when the index holds any)."""
    ids = [pk for pk, _score in results.hits]
    scores = [score for _pk, score in results.hits]
    articles = Article.objects.for_listing().order_by().in_bulk(ids)  # in `ids` order below: no ORDER BY
    copies = _copies([article for article in articles.values()]) if results.copied else {}
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
            matched_words=highlight.words_in(article, words) if loosened else [],
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
        .only("pk", "story_key", "date", "date_precision", "headline", "section__publication__name")
    )
    for other in others.order_by("date", "pk"):
        grouped.setdefault(other.story_key, []).append(other)
    return grouped
