"""The service, views, API, export and feed talk to the engine seam only. With the
Elasticsearch engine configured and no cluster reachable, every page that needs search answers
a 503 naming the engine and saying it is not reachable (never a traceback), the pages that need
no index still answer, an admin save keeps its index change queued, and check_index says why
it cannot check."""
from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from search.engines.base import EngineUnavailable, EngineUnsupported
from search.engines.current import current_engine
from search.engines.elasticsearch.engine import ElasticsearchEngine
from search.engines.whoosh.engine import WhooshEngine
from search.indexing import outbox
from search.models import PendingIndexChange
from search.service.plan import SearchPlan, search_filters
from search.service.query import parse_query
from tests.elasticsearch_helpers import closed_port, elasticsearch_connection
from tests.factories import make_article
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable(settings):
    """The Elasticsearch engine configured at a loopback port where nothing listens (with
    credentials in the URL, which no message may show)."""
    url = f"http://archive:secret@127.0.0.1:{closed_port()}/"
    with elasticsearch_connection(settings, url) as backend:
        yield backend


def test_the_configured_engine_answers():
    assert isinstance(current_engine(), WhooshEngine)


def test_an_unreachable_cluster_is_named_not_a_traceback(unreachable):
    engine = current_engine()
    assert isinstance(engine, ElasticsearchEngine)
    found = engine.find(SearchPlan(parse_query("芯片"), False, search_filters({})))
    with pytest.raises(EngineUnavailable) as raised:
        found.count  # noqa: B018 - the first question sends the first request
    message = str(raised.value)
    assert message == f"the elasticsearch search engine at {unreachable.url.replace('archive:secret@', '')} is not reachable"
    assert "secret" not in message and raised.value.engine == "elasticsearch"


def test_unsupported_and_unavailable_are_both_engine_errors():
    assert str(EngineUnsupported("x", "y")) == "the x search engine does not support y yet"
    assert str(EngineUnavailable("x", "x is down")) == "x is down"


@pytest.mark.parametrize("path, params, content_type", [
    ("search:search", {"q": "芯片"}, "text/html"),
    ("archive:api_article_list", {"q": "芯片"}, "application/json"),
    ("archive:api_article_list", {"q": "芯片", "format": "csv"}, "application/json"),
    ("search:feed", {"q": "芯片"}, "text/plain"),
])
def test_search_pages_answer_503_naming_the_engine(client, unreachable, path, params, content_type):
    response = client.get(reverse(path), params)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    body = response.content.decode()
    assert "the elasticsearch search engine at http://127.0.0.1:" in body and "is not reachable" in body
    assert "secret" not in body and "Traceback" not in body
    if content_type == "application/json":
        assert response.json()["engine"] == "elasticsearch"


def test_the_503_page_says_the_engine_cannot_be_reached(client, unreachable):
    content = client.get(reverse("search:search"), {"q": "芯片"}).content.decode()
    assert "暂时无法连接" in content and "尚不支持" not in content


def test_the_article_page_answers_503_naming_the_engine(client, unreachable):
    article = make_article(body="常州半导体产业加快发展。")
    response = client.get(reverse("archive:article", args=[article.pk]))
    assert response.status_code == 503 and "elasticsearch" in response.content.decode()


def test_listing_without_a_query_needs_no_engine(client, unreachable):
    make_article(body="常州半导体产业加快发展。")
    assert client.get(reverse("archive:api_article_list")).status_code == 200
    assert client.get(reverse("archive:article_list")).status_code == 200


def test_an_admin_save_keeps_its_change_queued(admin_client, unreachable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # its creation's flush has run (and failed)
        article = make_article(headline="芯片产业大会", body="半导体产业。")
    PendingIndexChange.objects.all().delete()
    url = reverse("admin:archive_article_change", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, change_form_data(article, headline="芯片产业大会(修订)"))
    assert len(callbacks) == 1  # the after-commit flush ran, found the cluster unreachable, kept the rows
    assert response.status_code == 302
    assert set(PendingIndexChange.objects.values_list("article_id", flat=True)) == {article.pk}
    with pytest.raises(EngineUnavailable):
        outbox.flush()
    assert outbox.pending_count() > 0  # still queued for the next flush


@pytest.mark.parametrize("args", [[], ["--repair"]])
def test_check_index_says_the_cluster_is_unreachable(unreachable, args):
    make_article(body="常州半导体产业加快发展。")
    with pytest.raises(CommandError, match="elasticsearch search engine at .* is not reachable"):
        call_command("check_index", *args, verbosity=0)


def test_compact_index_has_nothing_to_merge_on_elasticsearch(unreachable, capsys):
    call_command("compact_index")
    assert "Nothing to merge" in capsys.readouterr().out
