"""Questions about ALL the articles a search matches, not just one page of them:
how many per month and city (the search page's timeline), and which ones in
order (the CSV export).

The timeline counts the matches the results page already evaluated; the export
evaluates the query `search.service` compiles, with the same filters and the same
"loosened" fallback, through search.engine. Neither costs an SQL query.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from django.utils.translation import gettext as _
from whoosh import query as wq

from archive import browse, charts
from archive.text.words import query_terms
from search.engines.whoosh import matchset
from search.indexing.outbox import backend
from search.service.query import ParsedQuery, parse_query
from search.service.results import SORTS, compile_query, filter_query, loose_query, rank_query


@dataclass
class Match:
    """A compiled search: the query to run, its filter, and whether it was loosened."""

    parsed: ParsedQuery
    query: wq.Query | None
    filter: wq.Query | None
    loosened: bool


def compiled(parsed: ParsedQuery, loosened: bool, data: Mapping[str, Any]) -> Match:
    """The query exactly as search_articles ran it (pass its `results.loosened`)."""
    query = compile_query(loose_query(parsed), loose=True) if loosened else compile_query(parsed)
    return Match(parsed, query, filter_query(data), loosened)


def resolve(data: Mapping[str, Any]) -> Match:
    """Decide like search_articles does: long queries are loosened; so is a query of
    several words that finds nothing when every word is required."""
    parsed = parse_query(data.get("q") or "")
    if parsed.is_long:
        return compiled(parsed, True, data)
    strict = compiled(parsed, False, data)
    if strict.query is None:
        return strict
    words = sum(len(query_terms(term.text)) for clause in parsed.positive for term in clause.terms)
    if words > 1 and not _count(strict):
        return compiled(parsed, True, data)
    return strict


def _matches(match: Match) -> matchset.MatchSet:
    return matchset.matches(backend().searcher(), match.query, match.filter)


def _count(match: Match) -> int:
    return _matches(match).count


def matching_ids(match: Match, limit: int, sort: str = "relevance") -> tuple[list[int], int]:
    """Ids of the first `limit` matches in the requested order, and how many match in all."""
    if match.query is None:
        return [], 0
    found = _matches(match)
    order = SORTS.get(sort or "relevance")
    if order:
        docs = found.by_date(limit, newest_first=order[1])
    else:
        docs = [doc for doc, _score in found.ranked(rank_query(match.parsed), limit)]
    searcher = found.searcher
    return [int(searcher.stored_fields(doc)["django_id"]) for doc in docs], found.count


def chart(data: Mapping[str, Any], results):
    """The search page's timeline: matching articles per month, one colour per city.

    `results` is what search_articles returned for `data`: its matches are counted
    again by month and city (no second search); links on the bars add year and
    month to the search."""
    if not results.total or results.matches is None:
        return None
    counts = results.matches.month_city_counts(years_beyond=browse.MAX_MONTH_BARS)
    months = [(month, city or "", count) for (month, city), count in counts.items()]
    periods = browse.timeline(months, base=data)
    return charts.bar_chart(periods, labels={"": _("城市不详")})
