"""CSV export of the articles a listing or a search matches (format=csv on /api/articles/).

UTF-8 with a byte-order mark, so Excel and WPS open Chinese text correctly;
a header row of the JSON API's field names plus `page`, `origin` and `body`;
at most `ARCHIVE_CSV_MAX_ROWS` rows (5,000 unless configured), in the order
of the listing (newest first) or of the search (`sort`, relevance by
default). The response says how many articles matched (`X-Total-Count`) and
how many were written (`X-Exported-Count`).

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab/carriage return) are prefixed with an apostrophe (OWASP's advice against
CSV injection); nothing else is changed and text is exported as stored.
"""
from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from archive.models import Article
from archive.serializers import serialize_article

DEFAULT_MAX_ROWS = 5000
BOM = "\ufeff"
COLUMNS = [
    "id", "url", "headline", "kicker", "subheadline", "bylines", "kind", "publication", "city", "district",
    "date", "date_precision", "issue_date", "page", "script", "source", "origin", "body",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


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


def csv_response(articles: Iterable[Article], request: HttpRequest, total: int, exported: int) -> HttpResponse:
    """The CSV file as an attachment; `articles` must come from `for_listing()`."""
    absolute = request.build_absolute_uri("/").rstrip("/")
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for article in articles:
        writer.writerow(row(article, absolute))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename()}"'
    response["X-Total-Count"] = str(total)
    response["X-Exported-Count"] = str(exported)
    return response


def listing_export(queryset, request: HttpRequest) -> HttpResponse:
    """The first `max_rows()` articles of a filtered listing queryset."""
    limit = max_rows()
    total = queryset.count()
    articles = list(queryset[:limit])
    return csv_response(articles, request, total, len(articles))
