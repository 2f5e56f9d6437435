"""Two to four searches side by side (the comparison page, /compare/, and its CSV): how
many articles each matches per month, and per city within each month.

Each query is run as the search page runs it (search/service/results.py find: synonyms,
spellings, the loosening rule, the same filters) and the engine counts its matches by month
and city — what the search page's timeline counts. So a cell is what the search page says
for that query with that month (and city) chosen and every copy listed (`collapse=0`): the
counts are articles, copies included. Undated matches are in no month; they are counted
apart. Over more than ten years the periods are years, as on the search page's timeline.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive import browse_counts
from archive.listing import query_with
from search.service.results import find

MIN_QUERIES = 2
MAX_QUERIES = 4


@dataclass
class ComparedQuery:
    text: str
    total: int  # matching articles, copies included
    dated: int  # of them, those in a month (the rest are undated)
    loosened: bool = False
    also_searched: list[str] = field(default_factory=list)
    link: str = ""  # the search page's query string showing these `total` articles

    @property
    def undated(self) -> int:
        return self.total - self.dated


@dataclass
class CityRow:
    city: str  # "" when the articles name no city
    counts: list[int]  # one per query
    links: list[str]  # the search page's query string for each count ("" for none)

    @property
    def cells(self) -> list[tuple[int, str]]:
        return list(zip(self.counts, self.links, strict=True))


@dataclass
class PeriodRow:
    label: str  # 2024-05, or 2024 when the periods are years
    start: dt.date
    year: int
    month: int | None
    counts: list[int]  # one per query, every city
    links: list[str]
    cities: list[CityRow]  # most articles first

    @property
    def any(self) -> bool:
        return any(self.counts)

    @property
    def cells(self) -> list[tuple[int, str]]:
        return list(zip(self.counts, self.links, strict=True))


@dataclass
class Comparison:
    queries: list[ComparedQuery]
    periods: list[PeriodRow]  # oldest first, empty periods included (the chart needs them)
    per_year: bool
    city: str = ""  # the city filter, if any

    @property
    def rows(self) -> list[PeriodRow]:
        """The periods in which some query has a match (the table's and the CSV's)."""
        return [period for period in self.periods if period.any]

    @property
    def series(self) -> list[tuple[str, list[int]]]:
        return [(query.text, [period.counts[index] for period in self.periods])
                for index, query in enumerate(self.queries)]


def compare(queries: Sequence[str], filters: Mapping[str, Any]) -> Comparison:
    """Month × city counts of each query with the same filters (`city`, `date_from`, `date_to`)."""
    compared, cells = [], []
    for text in queries:
        search = find({**filters, "q": text})
        counts = search.found.month_city_counts(years_beyond=None) if search.found is not None else Counter()
        counts = Counter({key: count for key, count in counts.items() if count})
        total = search.found.count if search.found is not None else 0
        link = search_link(text, filters)
        compared.append(ComparedQuery(text, total, sum(counts.values()), search.loosened, search.also_searched, link))
        cells.append(counts)
    months = sorted({day for counts in cells for day, _city in counts})
    per_year = bool(months) and _month_index(months[-1]) - _month_index(months[0]) >= browse_counts.MAX_MONTH_BARS
    if per_year:
        cells = [_per_year(counts) for counts in cells]
    periods = [_period(start, per_year, cells, queries, filters) for start in _starts(months, per_year)]
    return Comparison(compared, periods, per_year, filters.get("city") or "")


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _per_year(counts: Counter) -> Counter:
    years: Counter = Counter()
    for (day, city), count in counts.items():
        years[(dt.date(day.year, 1, 1), city)] += count
    return years


def _starts(months: list[dt.date], per_year: bool) -> list[dt.date]:
    """Every period from the first match's to the last's."""
    if not months:
        return []
    if per_year:
        return [dt.date(year, 1, 1) for year in range(months[0].year, months[-1].year + 1)]
    return [dt.date(index // 12, index % 12 + 1, 1)
            for index in range(_month_index(months[0]), _month_index(months[-1]) + 1)]


def _period(start: dt.date, per_year: bool, cells: list[Counter], queries: Sequence[str],
            filters: Mapping[str, Any]) -> PeriodRow:
    month = None if per_year else start.month
    by_city: dict[str, list[int]] = {}
    for index, counts in enumerate(cells):
        for (day, city), count in counts.items():
            if day == start:
                by_city.setdefault(city or "", [0] * len(cells))[index] += count
    totals = [sum(counts[index] for counts in by_city.values()) for index in range(len(cells))]
    cities = [
        CityRow(city, counts, [search_link(query, filters, start.year, month, city) if count and city else ""
                               for query, count in zip(queries, counts, strict=True)])
        for city, counts in sorted(by_city.items(), key=lambda item: (not item[0], -sum(item[1]), item[0]))
    ]
    label = str(start.year) if per_year else f"{start.year}-{start.month:02d}"
    links = [search_link(query, filters, start.year, month) if count else ""
             for query, count in zip(queries, totals, strict=True)]
    return PeriodRow(label, start, start.year, month, totals, links, cities)


def search_link(query: str, filters: Mapping[str, Any], year: int | None = None, month: int | None = None,
                city: str = "") -> str:
    """The search page's query string showing exactly the articles a total or a cell counts."""
    base = {name: filters.get(name) for name in ("city", "date_from", "date_to")}
    return query_with({**base, "q": query}, year=year, month=month, city=city or base["city"], collapse="0")
