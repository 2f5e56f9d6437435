"""Questions about ALL the articles a search matches, not just one page of them:
how many per month and city (the search page's timeline), and which ones in
order (the CSV export).

Both run the query `search.service` compiles, with the same filters and the
same "loosened" fallback, straight on the Whoosh searcher, so they cost no
SQL query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from whoosh import query as wq
from whoosh import sorting

from search.analysis import query_terms
from search.indexing import backend
from search.query import ParsedQuery, parse_query
from search.service import SORTS, compile_query, filter_query, loose_query


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


def _count(match: Match) -> int:
    results = backend().searcher().search(match.query, filter=match.filter, limit=1)
    return len(results)


class UndatedSafeFacet(sorting.FieldFacet):
    """A facet on the sortable date column that names undated documents None
    (Whoosh's own conversion overflows on the column's empty value)."""

    def categorizer(self, global_searcher):
        categorizer = super().categorizer(global_searcher)
        convert = categorizer.key_to_name

        def key_to_name(key):
            try:
                return convert(key)
            except (OverflowError, ValueError):
                return None

        categorizer.key_to_name = key_to_name
        return categorizer


def month_city_counts(match: Match) -> list[tuple[dt.date, str, int]]:
    """(first day of month, city, number of matching articles) for every dated match."""
    if match.query is None:
        return []
    facet = sorting.MultiFacet([sorting.FieldFacet("city"), UndatedSafeFacet("date")])
    results = backend().searcher().search(
        match.query, filter=match.filter, limit=None, scored=False, groupedby={"timeline": facet},
        maptype=sorting.Count,
    )
    months: dict[tuple[dt.date, str], int] = {}
    for (city, when), count in results.groups("timeline").items():
        if not isinstance(when, dt.datetime):
            continue  # undated
        key = (dt.date(when.year, when.month, 1), city or "")
        months[key] = months.get(key, 0) + count
    return [(month, city, count) for (month, city), count in sorted(months.items())]


def matching_ids(match: Match, limit: int, sort: str = "relevance") -> tuple[list[int], int]:
    """Ids of the first `limit` matches in the requested order, and how many match in all."""
    if match.query is None:
        return [], 0
    kwargs: dict[str, Any] = {"filter": match.filter, "limit": limit}
    order = SORTS.get(sort or "relevance")
    if order:
        kwargs["sortedby"] = sorting.MultiFacet([sorting.FieldFacet(order[0], reverse=order[1]),
                                                 sorting.ScoreFacet()])
    results = backend().searcher().search(match.query, **kwargs)
    return [int(hit["django_id"]) for hit in results], len(results)


def chart(data: Mapping[str, Any], results):
    """The search page's timeline: matching articles per month, one colour per city.

    `results` is what search_articles returned for `data` (its parsed query and
    whether it was loosened); links on the bars add year and month to the search."""
    from django.utils.translation import gettext as _

    from archive import browse, charts

    if not results.total:
        return None
    from archive.listing import with_day_range

    match = compiled(results.query, results.loosened, with_day_range(data))
    periods = browse.timeline(month_city_counts(match), base=data)
    return charts.bar_chart(periods, labels={"": _("城市不详")})
