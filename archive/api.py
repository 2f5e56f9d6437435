"""Read-only JSON API over the articles (the list, which also searches, is search/api.py).

Errors are JSON too ({"error": ..., "fields": ...}), so clients never have
to parse an HTML error page.
"""
from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from archive.models import Article
from archive.serializers import serialize_article_detail

JSON_OPTIONS = {"ensure_ascii": False}


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    """JSON with Chinese text kept readable rather than \\u-escaped."""
    return JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)


def json_error(message: str, status: int, fields: dict[str, list[str]] | None = None) -> JsonResponse:
    data: dict[str, Any] = {"error": message}
    if fields is not None:
        data["fields"] = fields
    return json_response(data, status=status)


def form_error_response(form: Form) -> JsonResponse:
    """400 naming every invalid parameter; the summary is the first problem found."""
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    first = next(iter(fields.values()))[0]
    return json_error(f"参数无效:{first}", 400, fields)


@require_safe
def article_detail(request: HttpRequest, pk: int) -> JsonResponse:
    article = Article.objects.for_listing().filter(pk=pk).first()
    if article is None:
        return json_error(f"文章 {pk} 不存在。", 404)
    return json_response(serialize_article_detail(article))
