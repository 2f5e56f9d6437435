"""The pages that read the search index: the search page (thin: validation in search.forms,
work in search.service) and the article page (its related articles)."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive import charts, listing, script_switch
from archive.models import Article
from archive.views import article_context, bad_request
from search import unsupported
from search.engines.current import current_engine
from search.forms import SORT_CHOICES, SearchForm
from search.service import highlight, recent, timeline
from search.service.query import parse_query
from search.service.related import related_articles
from search.service.results import SearchResults, marked_words, search_articles
from search.service.synonyms import with_synonyms


@unsupported.answered_with(unsupported.page_answer)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    data = form.cleaned_data
    results = chart = None
    if data["q"]:
        script = getattr(request, "display_script", script_switch.ORIGINAL)
        try:
            results, chart = recent.remembered(current_engine(), "page", data, (script, get_language()),
                                               lambda: answered_page(data, script))
        except EmptyPage as exc:
            raise Http404(str(exc)) from exc
    context = {
        "form": form,
        "query": data["q"],
        "results": results,
        "chips": search_chips(data),
        "facets": facet_links(data, results) if results else [],
        "sorts": sort_links(data),
        "page_links": page_links(data, results) if results else {},
        "title": page_title(data, results),
        "timeline": chart,
        "feed_query": listing.query_with(data),
        "collapse_query": listing.query_with(data, collapse=None if data.get("collapse") == "0" else "0"),
    }
    return render(request, "search/results.html", context)


def answered_page(data, script: str) -> tuple[SearchResults, charts.Chart | None]:
    """The results and the timeline of a search page, hits highlighted in the page's script."""
    results = search_articles(listing.with_day_range(data), per_page=settings.ARCHIVE_PAGE_SIZE)
    results.hits = highlight.converted_hits(results.hits, results.highlight_words, script)
    chart = timeline.chart(data, results)
    results.found = None  # every match, needed for the chart only: not kept with the answer
    return results, chart


def sort_links(data) -> list[tuple[str, str, str, bool]]:
    current = data.get("sort") or "relevance"
    return [
        (value, label, listing.query_with(data, sort=None if value == "relevance" else value), value == current)
        for value, label in SORT_CHOICES
    ]


def search_chips(data) -> list[listing.ActiveFilter]:
    chips = listing.active_filters(data)
    if data.get("sort") and data["sort"] != "relevance":
        label = dict(SORT_CHOICES)[data["sort"]]
        chips.append(listing.ActiveFilter(_("排序"), str(label), listing.query_with(data, sort=None)))
    return chips


def facet_value_label(name: str, value: str) -> str:
    if name == "kind":
        return str(Article.Kind(value).label) if value in Article.Kind.values else value
    if name == "year":
        return _("%(year)s年") % {"year": value}
    return value


def facet_links(data, results: SearchResults) -> list[dict]:
    """Each facet with its counts and a link that adds (or, when chosen, removes) it."""
    facets = []
    for name, rows in results.facets.items():
        options = []
        for row in rows:
            chosen = str(data.get(name) or "") == row.value
            query = listing.query_with(data, **{name: None if chosen else row.value})
            options.append({"label": facet_value_label(name, row.value), "count": row.count,
                            "query": query, "chosen": chosen})
        facets.append({"name": name, "title": listing.FILTER_LABELS[name], "options": options})
    return facets


def page_links(data, results: SearchResults) -> dict[str, str | None]:
    return {
        "previous": listing.query_with(data, page=results.page - 1) if results.has_previous else None,
        "next": listing.query_with(data, page=results.page + 1) if results.has_next else None,
    }


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
