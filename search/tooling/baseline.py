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

from typing import Any

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.signals import RealtimeSignalProcessor
from jieba.analyse import ChineseAnalyzer
from whoosh.fields import TEXT, Schema

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
