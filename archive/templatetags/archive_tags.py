"""Template helpers: the 简/繁 display conversion; dates as precisely as they are known; a chart's
bars and a facet's options, the two long lists of a results page."""
from __future__ import annotations

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from archive import script_switch
from archive.charts import Chart

register = template.Library()


@register.filter
def in_script(value, script: str):
    """`{{ article.headline|in_script:display_script }}` — the text in the reader's chosen script.

    Escaping is unaffected: OpenCC's tables map Chinese characters to Chinese
    characters only, so escaped (safe) text stays safe and plain text is still
    escaped by the template engine."""
    if value is None:
        return ""
    converted = script_switch.convert(str(value), script)
    return mark_safe(converted) if isinstance(value, SafeData) else converted


@register.filter
def precise_date(value, precision: str) -> str:
    """`{{ article.date|precise_date:article.date_precision }}` — 2024年4月19日, 2024年4月 or 2024年,
    as far as the date is known; an unknown precision says so, a missing date says 日期不详.

    A results page shows ten dates. As an included template (a context and `{% spaceless %}`
    per date) they took 0.92 ms to render; as this filter 0.38–0.49 ms, the same HTML
    (timeit, best of 5)."""
    if not value:
        return gettext("日期不详")
    if precision == "month":
        return format_date(value, gettext("Y年n月"))
    if precision == "year":
        return format_date(value, gettext("Y年"))
    day = format_date(value, gettext("Y年n月j日"))
    return day if precision == "day" else day + gettext("(精度未知)")


_BAR = ('<a href="{}?{}"><rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
        '<title>{}</title></rect></a>')


@register.simple_tag
def chart_bars(chart: Chart, base: str) -> SafeString:
    """`{% chart_bars chart base %}` — a chart's bars, each a link to its period (templates/_chart.html).

    A search timeline has dozens to hundreds of bar segments. Drawn by a template loop of
    eight variables each, the whole chart took 5.7 ms to render; this way 2.2 ms (the 40 charts
    of the benchmark's first queries at 100,000 articles, 58 segments on average). Only the
    texts are escaped: the geometry is numbers and the colours come from charts.PALETTE.
    Numbers are written unlocalised, as the SVG needs them."""
    href = escape(base)
    return mark_safe("\n".join(
        _BAR.format(href, escape(bar.query), bar.x, bar.y, bar.width, bar.height, bar.color, escape(bar.title))
        for bar in chart.segments
    ))


_OPTION = '<li><a href="?{}"{}>{}</a> <span class="count">{}</span></li>'


def articles_count(count: int) -> str:
    """“6 篇” / “6 articles”: a facet option's count, in words a screen reader reads too."""
    return ngettext("%(count)s 篇文章", "%(count)s 篇文章", count) % {"count": count}


@register.simple_tag
def facet_options(options: list[dict]) -> SafeString:
    """`{% facet_options facet.options %}` — a facet's options (search.views.facet_links), each a
    link that adds it to the search or, when chosen, removes it, with its count.

    A results page lists about a hundred options (13 cities, 20 publications, years, industries,
    the top companies, people and places); as a template loop they were about a third of the
    page's render (3.2 of 10.2 ms, the benchmark's first 40 queries at 100,000 articles)."""
    chosen = format_html(' class="chosen" title="{}"', gettext("移除此条件"))
    return mark_safe("\n".join(
        _OPTION.format(escape(option["query"]), chosen if option["chosen"] else "", escape(option["label"]),
                       escape(articles_count(int(option["count"]))))
        for option in options
    ))
