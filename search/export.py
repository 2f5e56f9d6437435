"""CSV export of the articles a search matches, in the search's order (the file's format
is archive/export.py's)."""
from __future__ import annotations

from typing import Any, Mapping

from django.http import HttpRequest, HttpResponse

from archive import export
from archive.models import Article
from search.service.timeline import matching_ids, resolve


def search_export(data: Mapping[str, Any], request: HttpRequest) -> HttpResponse:
    """The first `export.max_rows()` articles a search matches, in the search's order."""
    match = resolve(data)
    ids, total = matching_ids(match, export.max_rows(), data.get("sort") or "relevance")
    found: dict[int, Article] = {}
    for start in range(0, len(ids), export.CHUNK):
        found.update(Article.objects.for_listing().in_bulk(ids[start:start + export.CHUNK]))
    articles = [found[pk] for pk in ids if pk in found]
    return export.csv_response(articles, request, total, len(articles))
