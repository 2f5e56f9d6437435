"""Which engine answers searches: the one ARCHIVE_SEARCH_ENGINE configures."""
from __future__ import annotations

from django.conf import settings
from haystack import connections

from search.engines.base import SearchEngine
from search.engines.elasticsearch.engine import ElasticsearchEngine
from search.engines.whoosh.engine import WhooshEngine

ENGINES: dict[str, type] = {"whoosh": WhooshEngine, "elasticsearch": ElasticsearchEngine}


def current_engine() -> SearchEngine:
    backend = connections["default"].get_backend()
    return ENGINES[getattr(settings, "ARCHIVE_SEARCH_ENGINE", "whoosh")](backend)
