"""The pages that read the search index: the search page (thin: validation in search.forms,
work in search.service) and the article page (its related articles)."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive import charts, filter_panel, listing, script_switch
from archive.models import Article
from archive.views import article_context, bad_request, unknown_value_notes
from search import unsupported
from search.engines.current import current_engine
from search.forms import SORT_CHOICES, SearchForm
from search.service import highlight, recent, timeline
from search.service.query import parse_query
from search.service.related import related_articles
from search.service.results import SearchResults, facet_counts_without, marked_words, search_articles
from search.service.synonyms import with_synonyms


@unsupported.answered_with(unsupported.page_answer)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    data = form.applied_data()
    results = chart = None
    switches: dict[str, list] = {}
    if data["q"]:
        script = getattr(request, "display_script", script_switch.ORIGINAL)
        results, chart, switches = recent.remembered(current_engine(), "page", data, (script, get_language()),
                                                     lambda: answered_page(data, script))
    past_end = filter_panel.page_past_end(data["page"], results.num_pages) if (
        results and results.total and results.page != data["page"]) else ""
    panel_facets = facet_links(data, results, switches) if results else []
    context = {
        "form": form,
        "data": data,
        "query": data["q"],
        "results": results,
        "chips": search_chips(data),
        "unknown_values": unknown_value_notes(form),
        "page_notes": [note for note in (form.page_notice, past_end) if note],
        "pager": filter_panel.page_navigation(data, results.page, results.num_pages) if results else None,
        "title": page_title(data, results),
        "timeline": chart,
        "feed_query": listing.query_with(data),
        "collapse_query": listing.query_with(data, collapse=None if data.get("collapse") == "0" else "0"),
        **filter_panel.panel_context(form, data, panel_facets, filter_panel.sort_links(data, SORT_CHOICES)),
    }
    return render(request, "search/results.html", context)


def answered_page(data, script: str) -> tuple[SearchResults, charts.Chart | None, dict[str, list]]:
    """The results and the timeline of a search page, hits highlighted in the page's script, and
    for each chosen filter its counts without it (what switching it would find)."""
    results = search_articles(listing.with_day_range(data), per_page=settings.ARCHIVE_PAGE_SIZE, nearest_page=True)
    results.hits = highlight.converted_hits(results.hits, results.highlight_words, script)
    chart = timeline.chart(data, results)
    results.found = None  # every match, needed for the chart only: not kept with the answer
    switches = {}
    if results.total:
        switches = {name: facet_counts_without(data, name)
                    for name in results.facets if data.get(name) not in (None, "")}
    return results, chart, switches


def search_chips(data) -> list[listing.ActiveFilter]:
    chips = listing.active_filters(data)
    if data.get("sort") and data["sort"] != "relevance":
        label = dict(SORT_CHOICES)[data["sort"]]
        chips.append(listing.ActiveFilter(_("排序"), str(label), listing.query_with(data, sort=None)))
    return chips


def facet_links(data, results: SearchResults, switches: dict[str, list]) -> list[dict]:
    """The panel's facets from the engine's counts: a chosen filter's facet counts without it
    (`switches`), every other facet within the current results."""
    counts = {name: [(row.value, row.count) for row in switches.get(name, rows)]
              for name, rows in results.facets.items()}
    return filter_panel.panel_facets(data, counts, results.articles or results.total)


def page_title(data, results: SearchResults | None) -> str:
    """“芯片” · 城市:常州 · 2024年 — 12 篇: readable in a browser tab and in history."""
    parts = [f"“{data['q']}”"] if data.get("q") else [_("搜索")]
    parts += [f"{chip.label}:{chip.value}" for chip in listing.active_filters(data)]
    title = " · ".join(parts)
    if results is not None:
        title += " — " + _("%(count)s 篇") % {"count": results.total}
    return title


@unsupported.answered_with(unsupported.page_answer)
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.with_source(), pk=pk)
    context = article_context(request, article)
    context["related"] = related_articles(article)
    query = request.GET.get("q", "")
    if query and len(query) <= settings.SEARCH_MAX_QUERY_CHARS:
        script = getattr(request, "display_script", script_switch.ORIGINAL)
        context.update(marked_article(article, query, script))
    return render(request, "archive/article_detail.html", context)


def marked_article(article: Article, query: str, script: str) -> dict:
    """The article's headline and paragraphs with the words of the search that led here
    marked, in the script the page shows (every spelling and synonym the search used)."""
    words = marked_words(with_synonyms(parse_query(query))[0])
    if not words:
        return {}
    return {
        "marked_query": query,
        "marked_headline": highlight.highlight(script_switch.convert(article.headline, script), words),
        "marked_paragraphs": [highlight.highlight(script_switch.convert(paragraph, script), words)
                              for paragraph in article.paragraphs],
    }
