"""/api/articles/: the filtered listing, or full-text search results when `q` is given,
or (`format=csv`) every match as a CSV file. Errors are JSON too."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from archive.api import form_error_response, json_error, json_response
from archive.export import listing_export, seconds_to_wait
from archive.listing import paginate, with_day_range
from archive.models import Article
from archive.serializers import serialize_article, serialize_page
from search import unsupported
from search.engines.current import current_engine
from search.export import search_export
from search.forms import SearchApiForm
from search.service import recent
from search.service.results import SearchResults, search_articles


@require_safe
@unsupported.answered_with(unsupported.json_answer)
def article_list(request: HttpRequest) -> HttpResponse:
    """The filtered listing, or full-text search results when `q` is given;
    `format=csv` exports every match (up to the export cap) as a CSV file."""
    form = SearchApiForm(request.GET)
    if not form.is_valid():
        return form_error_response(form)
    if form.cleaned_data.get("format") == "csv":
        return csv_export(form, request)
    if form.cleaned_data["q"]:
        return search_response(form)
    queryset = form.filter_queryset(Article.objects.for_listing().newest_first())
    try:
        page = paginate(queryset, form.cleaned_data["page"], form.cleaned_data["page_size"])
    except Http404 as exc:
        return json_error(str(exc), 404)
    return json_response(serialize_page(page))


def csv_export(form: Form, request: HttpRequest) -> HttpResponse:
    if wait := seconds_to_wait(request):
        response = json_error(
            f"CSV 导出过于频繁:每个客户端每分钟最多 {settings.ARCHIVE_CSV_EXPORTS_PER_MINUTE} 次,请 {wait} 秒后再试。",
            429)
        response["Retry-After"] = str(wait)
        return response
    data = form.cleaned_data
    if data["q"]:
        return search_export(with_day_range(data), request)
    return listing_export(form.filter_queryset(Article.objects.for_listing().newest_first()), request)


def search_response(form: SearchApiForm) -> JsonResponse:
    """Search results in the listing's envelope, plus highlights, facets and hints."""
    data = form.cleaned_data
    try:
        answer = recent.remembered(current_engine(), "json", data, (get_language(),),
                                   lambda: results_json(search_articles(with_day_range(data), data["page_size"])))
    except EmptyPage as exc:
        return json_error(str(exc), 404)
    return json_response(answer)


def results_json(results: SearchResults) -> dict:
    """`count` is what the rows are: stories when `collapsed` (the default; each row lists its
    story's other copies), articles with collapse=0; facet counts are always articles."""
    return {
        "count": results.total,
        "counts": "stories" if results.collapsed else "articles",
        "collapsed": results.collapsed,
        "articles": results.articles,
        "page": results.page,
        "num_pages": results.num_pages,
        "results": [
            {**serialize_article(hit.article), "headline_html": str(hit.headline_html),
             "snippet_html": str(hit.snippet_html), "score": hit.score,
             "copies": [copy_json(other) for other in hit.also_in],
             "matched_words": hit.matched_words}
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": row.value, "count": row.count} for row in rows]
            for name, rows in results.facets.items()
        },
        "facet_counts": "articles",
        "loosened": results.loosened,
        "also_searched": results.also_searched,
        "suggestions": results.suggestions,
    }


def copy_json(article: Article) -> dict:
    """Another copy of a result's story: which outlet, when, where."""
    return {
        "id": article.pk,
        "publication": article.section.publication.name,
        "date": article.date.isoformat() if article.date else None,
        "url": article.get_absolute_url(),
    }
