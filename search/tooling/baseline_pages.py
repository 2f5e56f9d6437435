"""The stock baseline's results page and JSON: haystack's SearchQuerySet, a Paginator of 10 and a
small template, as a site built on stock haystack would serve them. Kept apart from the baseline's
engine (baseline.py) so that a process timing the archive's own pages never loads jieba.analyse."""
from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.template import engines
from haystack.query import SearchQuerySet

from archive.serializers import serialize_article

PAGE_TEMPLATE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">
<title>“{{ q }}” — {{ page.paginator.count }} 篇</title></head><body>
<form action="" method="get"><input name="q" value="{{ q }}"></form>
<p>{{ page.paginator.count }} 篇</p>
<ol>{% for result in page.object_list %}{% with article=result.object %}
<li><a href="{{ article.get_absolute_url }}">{{ article.headline }}</a>
<small>{{ article.section.publication.name }} · {{ article.city }} · {{ article.date|default:"" }}</small>
<p>{{ article.body|truncatechars:120 }}</p></li>{% endwith %}{% endfor %}</ol>
</body></html>"""


def search_queryset(params: dict) -> SearchQuerySet:
    """The stock haystack query for one benchmark query (q, optional city and sort)."""
    sqs = SearchQuerySet().auto_query(params["q"])
    if params.get("city"):
        sqs = sqs.filter(city=params["city"])
    if params.get("sort") == "newest":
        sqs = sqs.order_by("-date")
    elif params.get("sort") == "oldest":
        sqs = sqs.order_by("date")
    return sqs.load_all()


def results_page(params: dict, page_size: int = 10) -> tuple[str, int]:
    """The rendered HTML results page and the number of hits."""
    page = Paginator(search_queryset(params), page_size).page(1)
    html = engines["django"].from_string(PAGE_TEMPLATE).render({"q": params["q"], "page": page})
    return html, page.paginator.count


def results_json(params: dict, page_size: int = 10) -> tuple[str, int]:
    """The JSON results (the API's article fields for each hit) and the number of hits."""
    page = Paginator(search_queryset(params), page_size).page(1)
    payload = {
        "count": page.paginator.count,
        "results": [serialize_article(result.object) for result in page.object_list if result.object is not None],
    }
    return json.dumps(payload, ensure_ascii=False, default=str), page.paginator.count
