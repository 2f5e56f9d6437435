"""Questions about ALL the articles a search matches, not just one page of them:
how many per month and city (the search page's timeline), and which ones in
order (the CSV export).

The timeline counts the matches the results page already found; the export runs the
search again exactly as the results page does (same filters, same loosening rule,
search/service/results.py find). Neither costs an SQL query.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from archive import browse_counts, charts
from search.service.results import SearchResults, find


def matching_ids(data: Mapping[str, Any], limit: int) -> tuple[list[int], int]:
    """Ids of the first `limit` matches in the requested order (`sort`), and how many match in all."""
    found = find(data).found
    if found is None:
        return [], 0
    return found.ids(limit), found.count


def chart(data: Mapping[str, Any], results: SearchResults) -> charts.Chart | None:
    """The search page's timeline: matching articles per month, one colour per city.

    `results` is what search_articles returned for `data`: its matches are counted
    again by month and city (no second search); links on the bars add year and
    month to the search."""
    if not results.total or results.found is None:
        return None
    counts = results.found.month_city_counts(years_beyond=browse_counts.MAX_MONTH_BARS)
    months = [(month, city or "", count) for (month, city), count in counts.items()]
    periods = browse_counts.timeline(months, base=data)
    return charts.bar_chart(periods, labels={"": _("城市不详")}, unnamed_color=charts.UNNAMED_COLOR)
