"""What a search means, whatever engine runs it: the filters, the facets, the field
boosts, the sort orders and the rule for loosening a query. Each engine compiles this into
its own query language (search/engines/whoosh/compile.py, search/engines/elasticsearch.py)
and nothing else decides it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from archive import listing
from archive.text.words import query_terms, text_spellings
from search.service.query import Clause, ParsedQuery, Term

#: Fields a search page counts matches by (facets), and the ones holding several values.
FACET_FIELDS = ("city", "district", "publication", "year", "kind", "industry", "company", "person", "place")
MULTIVALUED_FACETS = frozenset({"industry", "company", "person", "place"})
ENTITY_FACET_LIMIT = 20
#: Listing filters that are one exact value of an index field (the listing's own list).
FILTER_FIELDS = listing.VALUE_FILTERS
#: How much a match in each field counts: headline matches weigh most.
FIELD_BOOSTS = {"headline": 3.0, "text": 1.0, "chars": 0.3, "grams": 0.3, "byline": 1.0}
#: Sort name → (field, newest first), None for relevance.
SORTS: dict[str, tuple[str, bool] | None] = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
#: A loosened query keeps at most this many words.
MAX_LOOSE_TERMS = 32


@dataclass(frozen=True)
class SearchFilters:
    """The listing filters as the index sees them: exact field values, a year, a date range."""

    values: dict[str, str] = field(default_factory=dict)
    year: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def empty(self) -> bool:
        return not (self.values or self.year or self.start or self.end)


def search_filters(data: Mapping[str, Any]) -> SearchFilters:
    """The filters in a form's cleaned data; year and month together become a date range."""
    values = {name: data[name] for name in FILTER_FIELDS if data.get(name)}
    start, end = data.get("date_from"), data.get("date_to")
    year, month = data.get("year"), data.get("month")
    year_value = None
    if year and month:
        start = max(filter(None, [start, dt.date(year, month, 1)]))
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        end = min(filter(None, [end, next_month - dt.timedelta(days=1)]))
    elif year:
        year_value = str(year)
    return SearchFilters(values, year_value, start, end)


@dataclass(frozen=True)
class SearchPlan:
    """One search to run: the query (loosened or not), its filters, its order."""

    parsed: ParsedQuery
    loose: bool
    filters: SearchFilters
    sort: str = "relevance"
    collapse: bool = True  # one row per story (other copies listed with it), else one per article


def collapses(data: Mapping[str, Any]) -> bool:
    """Whether a search's rows are stories (the default) or every article (``collapse=0``)."""
    return data.get("collapse") != "0"


def loose_query(parsed: ParsedQuery) -> ParsedQuery:
    """A pasted sentence: its distinct words, each optional, ranked by how many match."""
    words = [word for clause in parsed.positive for term in clause.terms for word in query_terms(term.text)]
    distinct = list(dict.fromkeys(words))
    # Single characters (的, 化, 在) match nearly everything; keep them only when nothing else is left.
    distinct = [word for word in distinct if len(word) > 1] or distinct
    clauses = [Clause([Term(word)]) for word in distinct] + parsed.negative
    return ParsedQuery(clauses=clauses)


def loose_clauses(clauses: list) -> tuple[list, int]:
    """A loosened query's clauses (at most MAX_LOOSE_TERMS) and how many of them must match:
    half, at least one."""
    kept = clauses[:MAX_LOOSE_TERMS]
    return kept, max(1, len(kept) // 2)


def query_spellings(text: str) -> list[str]:
    """A query term's text in every spelling an article may use (mainland, Taiwan, Hong
    Kong words: archive/text/variants.py); an engine matches any of them."""
    return text_spellings(text)


def word_count(parsed: ParsedQuery) -> int:
    return sum(len(query_terms(term.text)) for clause in parsed.positive for term in clause.terms)


Result = TypeVar("Result")


def with_loosening(parsed: ParsedQuery, run: Callable[[ParsedQuery, bool], Result | None],
                   total: Callable[[Result], int]) -> tuple[Result | None, bool]:
    """Run the query as the loosening rule says, and whether it was loosened: a long query
    (a pasted sentence) is loosened at once; a query of several words that finds nothing
    when every word is required is run again loosened."""
    if parsed.is_long:
        return run(loose_query(parsed), True), True
    result = run(parsed, False)
    if result is not None and total(result) == 0 and word_count(parsed) > 1:
        return run(loose_query(parsed), True), True
    return result, False
