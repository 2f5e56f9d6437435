"""The JSON side of search: `q` on /api/articles/."""
from __future__ import annotations

from django.core.paginator import EmptyPage
from django.http import JsonResponse

from archive.api import json_error, json_response
from archive.listing import with_day_range
from archive.serializers import serialize_article
from search.forms import SearchApiForm
from search.service import SearchResults, search_articles


def search_response(form: SearchApiForm) -> JsonResponse:
    """Search results in the listing's envelope, plus highlights, facets and hints."""
    try:
        results = search_articles(with_day_range(form.cleaned_data), per_page=form.cleaned_data["page_size"])
    except EmptyPage as exc:
        return json_error(str(exc), 404)
    return json_response(results_json(results))


def results_json(results: SearchResults) -> dict:
    return {
        "count": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "results": [
            {**serialize_article(hit.article), "headline_html": str(hit.headline_html),
             "snippet_html": str(hit.snippet_html), "score": hit.score}
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": row.value, "count": row.count} for row in rows]
            for name, rows in results.facets.items()
        },
        "loosened": results.loosened,
        "suggestions": results.suggestions,
    }
