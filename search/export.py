"""CSV export of the articles a search matches, in the search's order (the file's format
is archive/export.py's)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from archive import export
from archive.models import Article
from search.service.timeline import matching_ids


def search_export(data: Mapping[str, Any], request: HttpRequest) -> HttpResponse:
    """The first `export.max_rows()` articles a search matches, in the search's order."""
    ids, total = matching_ids(data, export.max_rows())
    found: dict[int, Article] = {}
    for start in range(0, len(ids), export.CHUNK):
        found.update(Article.objects.for_listing().in_bulk(ids[start:start + export.CHUNK]))
    articles = [found[pk] for pk in ids if pk in found]
    return export.csv_response(articles, request, total, len(articles))
