"""CSV export of the articles a search matches, in the search's order (the file's format
is archive/export.py's)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse

from archive import export
from archive.models import Article
from search.service.timeline import matching_ids


def search_export(data: Mapping[str, Any], request: HttpRequest) -> StreamingHttpResponse:
    """The first `export.max_rows()` articles a search matches, in the search's order. The
    search runs now (its errors become the view's 503); the rows are read while the file is sent."""
    ids, total = matching_ids(data, export.max_rows())
    present = set()
    for start in range(0, len(ids), export.CHUNK):  # ids only: a stale index entry is no row
        present.update(Article.objects.filter(pk__in=ids[start:start + export.CHUNK]).values_list("pk", flat=True))
    ids = [pk for pk in ids if pk in present]
    return export.csv_response(articles_in_order(ids), request, total, len(ids))


def articles_in_order(ids: list[int]) -> Iterator[Article]:
    for start in range(0, len(ids), export.CHUNK):
        chunk = ids[start:start + export.CHUNK]
        found = Article.objects.for_listing().in_bulk(chunk)
        yield from (found[pk] for pk in chunk if pk in found)
