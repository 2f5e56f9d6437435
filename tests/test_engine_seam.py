"""The service, views, API, export and feed talk to the engine seam only: with an engine
that cannot search yet (Elasticsearch, for now) every search page answers a 503 naming it."""
from __future__ import annotations

import pytest
from django.urls import reverse

from search.engines.base import EngineUnsupported
from search.engines.current import current_engine
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.whoosh.engine import WhooshEngine
from search.service.plan import SearchPlan, search_filters
from search.service.query import parse_query
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def elasticsearch_configured(settings):
    settings.ARCHIVE_SEARCH_ENGINE = "elasticsearch"


def test_the_configured_engine_answers():
    assert isinstance(current_engine(), WhooshEngine)


def test_elasticsearch_says_what_it_cannot_do(elasticsearch_configured):
    engine = current_engine()
    assert isinstance(engine, ElasticsearchEngine)
    plan = SearchPlan(parse_query("芯片"), False, search_filters({}))
    with pytest.raises(EngineUnsupported, match="elasticsearch"):
        engine.find(plan)


@pytest.mark.parametrize("path, params, content_type", [
    ("search:search", {"q": "芯片"}, "text/html"),
    ("archive:api_article_list", {"q": "芯片"}, "application/json"),
    ("archive:api_article_list", {"q": "芯片", "format": "csv"}, "application/json"),
    ("search:feed", {"q": "芯片"}, "text/plain"),
])
def test_search_pages_answer_503_naming_the_engine(client, elasticsearch_configured, path, params, content_type):
    response = client.get(reverse(path), params)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert "elasticsearch" in response.content.decode()


def test_the_article_page_answers_503_naming_the_engine(client, elasticsearch_configured):
    article = make_article(body="常州半导体产业加快发展。")
    response = client.get(reverse("archive:article", args=[article.pk]))
    assert response.status_code == 503 and "elasticsearch" in response.content.decode()


def test_listing_without_a_query_needs_no_engine(client, elasticsearch_configured):
    assert client.get(reverse("archive:api_article_list")).status_code == 200
