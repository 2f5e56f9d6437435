"""CSV export of the articles a listing or a search matches (format=csv on /api/articles/).

UTF-8 with a byte-order mark, so Excel and WPS open Chinese text correctly;
a header row of the JSON API's field names plus `page`, `origin` and `body`;
at most `ARCHIVE_CSV_MAX_ROWS` rows (5,000 unless configured), in the order
of the listing (newest first) or of the search (`sort`, relevance by
default). The response says how many articles matched (`X-Total-Count`) and
how many were written (`X-Exported-Count`); when the cap cut the file short,
`X-Export-Capped` says so in a sentence.

The file is streamed, a few hundred rows at a time, so a worker never holds
it whole; and each client may start `ARCHIVE_CSV_EXPORTS_PER_MINUTE` exports
per minute (the view answers 429 past that, with Retry-After).

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab/carriage return) are prefixed with an apostrophe (OWASP's advice against
CSV injection); nothing else is changed and text is exported as stored.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, StreamingHttpResponse

from archive.models import Article
from archive.request_limits import client_address
from archive.serializers import serialize_article

DEFAULT_MAX_ROWS = 5000
BOM = "\ufeff"
COLUMNS = [
    "id", "url", "headline", "kicker", "subheadline", "bylines", "kind", "publication", "city", "district",
    "date", "date_precision", "issue_date", "page", "script", "source", "origin", "body",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500
RATE_WINDOW = 60  # seconds


def max_rows() -> int:
    return int(getattr(settings, "ARCHIVE_CSV_MAX_ROWS", DEFAULT_MAX_ROWS))


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def row(article: Article, absolute: str) -> list[str]:
    data = serialize_article(article)
    data.update({
        "url": absolute + article.get_absolute_url(),
        "bylines": "、".join(data["bylines"]),
        "page": article.section.page_label,
        "origin": article.origin,
        "body": "\n".join(article.paragraphs),
    })
    return [safe_cell(data[column]) if column != "id" else str(data["id"]) for column in COLUMNS]


def filename(prefix: str = "articles") -> str:
    return f"{prefix}-{datetime.date.today().isoformat()}.csv"


class _Line:
    """What csv.writer writes to: it hands each formatted row back instead of storing it."""

    def write(self, text: str) -> str:
        return text


def table_chunks(header: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """A CSV file in pieces of `CHUNK` rows, the byte-order mark and header first; the cells
    are written as given (safe_cell them first)."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BOM + writer.writerow(header)).encode("utf-8")
    rows = iter(rows)
    while batch := list(islice(rows, CHUNK)):
        yield "".join(writer.writerow(cells) for cells in batch).encode("utf-8")


def csv_chunks(articles: Iterable[Article], absolute: str) -> Iterator[bytes]:
    """The articles' file in pieces of `CHUNK` rows, the byte-order mark and header first."""
    return table_chunks(COLUMNS, (row(article, absolute) for article in articles))


def csv_response(articles: Iterable[Article], request: HttpRequest, total: int,
                 exported: int) -> StreamingHttpResponse:
    """The CSV file as a streamed attachment; `articles` (from `for_listing()`) may be a lazy
    iterable of `exported` articles, read while the file is sent."""
    absolute = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(csv_chunks(articles, absolute), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename()}"'
    response["X-Total-Count"] = str(total)
    response["X-Exported-Count"] = str(exported)
    if exported < total:
        response["X-Export-Capped"] = (
            f"only the first {exported} of {total} matching articles are in this file "
            f"(at most {max_rows()} per export); narrow the filters or the search to export the rest")
    return response


def listing_export(queryset, request: HttpRequest) -> StreamingHttpResponse:
    """The first `max_rows()` articles of a filtered listing queryset, read in chunks while sent."""
    total = queryset.count()
    exported = min(total, max_rows())
    return csv_response(queryset[:exported].iterator(chunk_size=CHUNK), request, total, exported)


def seconds_to_wait(request: HttpRequest) -> int:
    """0 when this client may export now (the export is counted), else the seconds until it
    may again: at most ARCHIVE_CSV_EXPORTS_PER_MINUTE exports per client per clock minute
    (0 turns the limit off)."""
    limit = settings.ARCHIVE_CSV_EXPORTS_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    client = hashlib.sha256((client_address(request) or "unknown").encode("utf-8", "replace")).hexdigest()[:32]
    key = f"csv-export:{client}:{int(now // RATE_WINDOW)}"
    cache.add(key, 0, timeout=2 * RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, count := 1, timeout=2 * RATE_WINDOW)
    if count <= limit:
        return 0
    return max(1, RATE_WINDOW - int(now % RATE_WINDOW))
