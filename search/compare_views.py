"""The comparison page (/compare/): two to four searches side by side, their matches per
month as one line chart with the month × city table under it, and the same table as CSV
(/compare/csv/). Everything is in the query string, so a comparison is shared by its URL.
Validation is search.compare_forms', the counting search.service.compare's."""
from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from archive import export, line_charts
from search import unsupported
from search.compare_forms import CompareForm, archive_cities
from search.service.compare import Comparison, compare

FILENAME_QUERY_CHARS = 20


@require_safe
@unsupported.answered_with(unsupported.page_answer)
def compare_page(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET, archive_cities())
    valid = form.is_valid()
    context = {"form": form, "problems": form.messages() if form.asked else [], "comparison": None}
    if valid and form.enough:
        comparison = compare(form.queries, form.filters())
        context.update(
            comparison=comparison,
            chart=line_charts.line_chart([period.label for period in comparison.periods], comparison.series,
                                         title=" / ".join(form.queries),
                                         point_title="%(period)s · “%(name)s”: %(count)s"),
            share_url=(share_url := request.build_absolute_uri(f"{reverse('search:compare')}?{shared_query(form)}")),
            share_text=uri_to_iri(share_url),
            csv_url=f"{reverse('search:compare_csv')}?{shared_query(form)}",
            png_name=filename(form.queries, "png"),
        )
    elif valid and form.asked:
        context["problems"] = [form.too_few()]
    status = 400 if form.asked and not valid else 200
    return render(request, "search/compare.html", context, status=status)


@require_safe
@unsupported.answered_with(unsupported.text_answer)
def compare_csv(request: HttpRequest) -> HttpResponse:
    """The page's table as a CSV file (UTF-8 with a byte-order mark, as every export)."""
    form = CompareForm(request.GET, archive_cities())
    if not form.is_valid() or not form.enough:
        problems = form.messages() or [form.too_few()]
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
    if wait := export.seconds_to_wait(request):
        response = HttpResponse(
            pgettext("compare", "CSV 导出过于频繁：每个客户端每分钟最多 %(limit)s 次，请 %(wait)s 秒后再试。")
            % {"limit": settings.ARCHIVE_CSV_EXPORTS_PER_MINUTE, "wait": wait},
            status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
    comparison = compare(form.queries, form.filters())
    rows = table_rows(comparison)
    cap = export.max_rows()
    header = [_("月份") if not comparison.per_year else _("年份"), _("城市"), *comparison_headers(comparison)]
    response = StreamingHttpResponse(export.table_chunks(header, rows[:cap]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename(form.queries, "csv"))
    response["X-Total-Count"] = str(len(rows))
    response["X-Exported-Count"] = str(min(cap, len(rows)))
    if len(rows) > cap:
        response["X-Export-Capped"] = (f"only the first {cap} of {len(rows)} rows are in this file "
                                       f"(at most {cap} per export); narrow the dates or choose a city")
    return response


def comparison_headers(comparison: Comparison) -> list[str]:
    return [export.safe_cell(query.text) for query in comparison.queries]


def table_rows(comparison: Comparison) -> list[list[str]]:
    """The page's table: for each period with matches its total over every city (unless one
    city was chosen), then each city's counts."""
    every_city, unknown = pgettext("compare", "全部城市"), _("城市不详")
    rows = []
    for period in comparison.rows:
        if not comparison.city:
            rows.append([period.label, every_city, *map(str, period.counts)])
        rows += [[period.label, export.safe_cell(city.city) if city.city else unknown, *map(str, city.counts)]
                 for city in period.cities]
    return rows


def shared_query(form: CompareForm) -> str:
    """The query string that reproduces this comparison: the queries, then the filters."""
    pairs = [("q", query) for query in form.queries]
    pairs += [(name, value.isoformat() if isinstance(value, dt.date) else value)
              for name, value in form.filters().items()]
    return urlencode(pairs)


def filename(queries: list[str], extension: str) -> str:
    """compare-半导体-新能源汽车-2026-12-08.csv: the queries, cut short, with only word characters."""
    parts = [re.sub(r"\W+", "_", query).strip("_")[:FILENAME_QUERY_CHARS] or "q" for query in queries]
    return f"compare-{'-'.join(parts)}-{dt.date.today().isoformat()}.{extension}"
