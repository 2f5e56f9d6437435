"""The benchmark's baseline: what stock parts give (see search/tooling/benchmark.py).

haystack's own Whoosh backend, unchanged except that every text field it builds gets
jieba's ``ChineseAnalyzer`` (``jieba.analyse.ChineseAnalyzer``) instead of Whoosh's
``StemmingAnalyzer`` — the usual way jieba is plugged into haystack. Used with
``archive.settings.baseline`` (which also switches to haystack's ``RealtimeSignalProcessor``);
never by the archive itself.

The results page and the JSON results of the baseline are what a stock haystack site does:
``SearchQuerySet().auto_query(q)`` (plus ``.filter(city=…)`` / ``.order_by(…)``), ``load_all()``
and a Paginator over it, as haystack's own ``SearchView`` does; the page renders headline,
publication, date and the start of the body (stock haystack has no facets for Whoosh and its
highlighter does not work on Chinese, so there are neither).
"""
from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.template import engines
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.query import SearchQuerySet
from haystack.signals import RealtimeSignalProcessor
from jieba.analyse import ChineseAnalyzer
from whoosh.fields import TEXT, Schema

from archive.serializers import serialize_article
from archive.signals import articles_created


class JiebaWhooshBackend(WhooshSearchBackend):
    """haystack's Whoosh backend with jieba's ChineseAnalyzer on its text fields."""

    def build_schema(self, fields: dict) -> tuple[str, Schema]:

        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.analyzer = ChineseAnalyzer()
        return content_field_name, schema


class JiebaWhooshEngine(BaseEngine):
    backend = JiebaWhooshBackend
    query = WhooshSearchQuery


class BaselineSignalProcessor(RealtimeSignalProcessor):
    """haystack's RealtimeSignalProcessor, also indexing the articles the ingest creates in one
    bulk insert (which sends no post_save), one by one, as it would for each save."""

    def setup(self) -> None:
        super().setup()
        articles_created.connect(self.handle_bulk_create)

    def teardown(self) -> None:
        super().teardown()
        articles_created.disconnect(self.handle_bulk_create)

    def handle_bulk_create(self, sender: type, articles: list, **kwargs: Any) -> None:
        for article in articles:
            self.handle_save(sender, article)


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
