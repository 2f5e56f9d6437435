"""Template helpers: the 简/繁 display conversion; dates as precisely as they are known; a chart's
bars and a facet's options, the two long lists of a results page."""
from __future__ import annotations

from django import template
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from archive import script_switch
from archive.charts import Chart
from archive.text.script import language_tag

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
def lang_attr(value) -> SafeString:
    """`<h1{{ text|lang_attr }}>` — ` lang="zh-Hans"` or ` lang="zh-Hant"` by the text's script, so
    that content is marked in its own language whatever the UI's (`<html lang>`) is; nothing for
    text without Chinese."""
    tag = language_tag(str(value or ""))
    return format_html(' lang="{}"', tag) if tag else mark_safe("")


@register.filter
def in_lang(value):
    """`{{ name|in_lang }}` — the text in a `<span lang="zh-Hans|zh-Hant">` by its script (as is when
    it holds no Chinese). Escapes plain text; safe text (highlighted snippets) stays as it is."""
    if value is None:
        return ""
    tag = language_tag(str(value))
    if not tag:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', tag, value)


@register.filter
def edition(label) -> str:
    """`{{ section.page_label|edition }}` — a page of a paper as readers name it: 第1版 for a number,
    A1版 for a lettered page; Page 1, Page A1 in English."""
    label = str(label).strip()
    if label.isdigit():
        return gettext("第%(page)s版") % {"page": label}
    return gettext("%(page)s版") % {"page": label}


@register.filter
def precise_date(value, precision: str) -> str:
    """`{{ article.date|precise_date:article.date_precision }}` — as far as the date is known, in the
    UI language's formats (archive/formats/): 2024年4月19日 / 19 April 2024, 2024年4月 / April 2024,
    2024年 / 2024; an unknown precision says so, a missing date says 日期不详.

    A results page shows ten dates. As an included template (a context and `{% spaceless %}`
    per date) they took 0.92 ms to render; as this filter 0.38–0.49 ms, the same HTML
    (timeit, best of 5)."""
    if not value:
        return gettext("日期不详")
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision == "year":
        return format_date(value, gettext("Y年"))
    day = date_format(value, "DATE_FORMAT")
    return day if precision == "day" else day + gettext("（精度未知）")


# The link is named by its text (a screen reader lists the bars as links); <title> is the tooltip.
_BAR = ('<a href="{}?{}" aria-label="{title}"><title>{title}</title>'
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"></rect></a>')


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
        _BAR.format(href, escape(bar.query), bar.x, bar.y, bar.width, bar.height, bar.color, title=escape(bar.title))
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
        _OPTION.format(escape(option["query"]), chosen if option["chosen"] else "", in_lang(option["label"]),
                       escape(articles_count(int(option["count"]))))
        for option in options
    ))
