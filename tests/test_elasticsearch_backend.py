"""The Elasticsearch backend's writing and maintenance paths with a fake client in place of
the real one (tests/elasticsearch_helpers.py): the index made on first use, rebuild_index,
an admin save through the outbox, check_index and its repair, and the errors of a cluster
that cannot serve (a 503 answer, another product) or of a request that is wrong (a bug)."""
from __future__ import annotations

import json
import re

import elasticsearch
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import Article
from archive.text.words import query_terms
from search.engines.base import EngineUnavailable
from search.engines.current import current_engine
from search.engines.elasticsearch.aggs import summary_aggs
from search.indexing import consistency, outbox
from search.models import PendingIndexChange
from search.service.plan import SearchPlan, search_filters
from search.service.query import parse_query
from tests.elasticsearch_helpers import FakeElasticsearch, RecordingConnection, elasticsearch_connection
from tests.factories import make_article
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

URL = "http://search.internal:9200/"


def stored_documents(fake: FakeElasticsearch):
    """Searches answered from the fake's documents as the consistency walk asks: every
    document in django_id order, after `search_after`, `size` at a time."""
    def answer(body: dict) -> dict:
        after = (body.get("search_after") or [0])[0]
        rows = sorted((int(doc["django_id"]), doc_id, doc) for doc_id, doc in fake.documents.items())
        rows = [row for row in rows if row[0] > after][:body["size"]]
        hits = [{"_index": "archive-test", "_id": doc_id, "_score": None, "sort": [pk],
                 "_source": {key: doc[key] for key in body["_source"] if key in doc}} for pk, doc_id, doc in rows]
        return {"took": 1, "timed_out": False, "hits": {"max_score": None, "hits": hits}}
    return answer


@pytest.fixture
def fake(settings):
    client = FakeElasticsearch()
    client.answer = stored_documents(client)
    with elasticsearch_connection(settings, URL, client=client):
        yield client


def test_the_index_is_made_on_first_use_with_the_archive_mapping(fake):
    assert outbox.backend().document_count() == 0
    (create, put) = [call for call in fake.calls if call[0].startswith("indices.")]
    assert create[0] == "indices.create" and create[1] == "archive-test"
    assert create[2]["settings"]["analysis"]["analyzer"]["archive_pretokenized"]["tokenizer"] == "whitespace"
    assert create[2]["mappings"]["properties"]["grams"]["analyzer"] == "archive_pretokenized"
    assert put == ("indices.put_mapping", "archive-test", create[2]["mappings"])


def test_rebuild_index_sends_every_article_pre_cut(fake):
    articles = [make_article(body="常州半导体产业加快发展。"), make_article(body="無錫積體電路產業。")]
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert ("indices.delete", "archive-test") in fake.calls
    assert set(fake.documents) == {f"archive.article.{article.pk}" for article in articles}
    doc = fake.documents[f"archive.article.{articles[1].pk}"]
    assert "集成电路" in doc["text"].split() and "集成电路" in doc["words"]  # the mainland word
    assert doc["grams"][-1] == "无锡 锡积 积体 体电 电路 路产 产业"  # after the headline's run
    assert doc["story_group"] == f"archive.article.{articles[1].pk}"


def test_an_admin_save_reaches_the_index_through_the_outbox(admin_client, fake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # its creation's flush has run
        article = make_article(headline="芯片产业大会", body="半导体产业。")
    fake.documents.clear()
    url = reverse("admin:archive_article_change", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, change_form_data(article, headline="摩尔线程芯片产业大会"))
    assert len(callbacks) == 1  # one after-commit flush for the save and its links
    assert response.status_code == 302
    doc = fake.documents[f"archive.article.{article.pk}"]
    assert doc["headline"].split() == query_terms("摩尔线程芯片产业大会")
    assert outbox.pending_count() == 0
    assert fake.calls[-1] == ("indices.refresh", "archive-test")  # searchable when the save returns


def test_check_index_and_its_repair(fake, capsys):
    kept, edited = make_article(body="常州半导体。"), make_article(body="无锡集成电路。")
    outbox.write_articles([kept.pk, edited.pk])
    PendingIndexChange.objects.all().delete()  # written, as after their commit
    assert consistency.find_drift().clean
    Article.objects.filter(pk=edited.pk).update(headline="改过的标题")  # no signal: the index drifts
    fake.documents["archive.article.999999"] = {"id": "archive.article.999999", "django_id": "999999"}
    drift = consistency.find_drift()
    assert drift.stale == [edited.pk] and drift.orphaned == ["archive.article.999999"] and not drift.missing
    with pytest.raises(CommandError, match="differs from the database"):
        call_command("check_index", verbosity=0)
    call_command("check_index", "--repair", verbosity=0)
    assert "1 entries re-written, 1 orphan(s) removed" in capsys.readouterr().out
    assert consistency.find_drift().clean and "archive.article.999999" not in fake.documents


def failing(error: Exception):
    def answer(body: dict) -> dict:
        raise error
    return answer


@pytest.mark.parametrize("error, message", [
    (elasticsearch.TransportError(503, "search_phase_execution_exception", {}), "is not answering (HTTP 503"),
    (elasticsearch.TransportError(429, "es_rejected_execution_exception", {}), "is not answering (HTTP 429"),
    (elasticsearch.AuthenticationException(401, "security_exception", {}), "is not answering (HTTP 401"),
    (elasticsearch.UnsupportedProductError("The client noticed that the server is not Elasticsearch"),
     "is not a supported Elasticsearch server"),
])
def test_a_cluster_that_cannot_serve_is_unavailable(fake, error, message):
    fake.answer = failing(error)
    with pytest.raises(EngineUnavailable, match=re.escape(message)) as raised:
        outbox.backend().search({"query": {"match_all": {}}})
    assert str(raised.value).startswith("the elasticsearch search engine at http://search.internal:9200/ ")


def test_a_wrong_request_is_a_bug_not_an_outage(fake):
    fake.answer = failing(elasticsearch.RequestError(400, "parsing_exception", {}))
    with pytest.raises(elasticsearch.RequestError):
        outbox.backend().search({"query": {"no_such_query": {}}})


def test_an_index_deleted_meanwhile_is_made_anew(fake):
    backend = outbox.backend()
    backend.search({"size": 0})
    answers = [elasticsearch.NotFoundError(404, "index_not_found_exception", {}), {"hits": {"hits": []}}]

    def answer(body: dict) -> dict:
        result = answers.pop(0)
        if isinstance(result, Exception):
            raise result
        return result

    fake.answer = answer
    assert backend.search({"size": 0}) == {"hits": {"hits": []}}
    assert [call[0] for call in fake.calls].count("indices.create") == 2


def test_a_mapping_from_another_version_asks_for_a_rebuild(fake):
    def refuse(index, body=None, **options):
        raise elasticsearch.RequestError(400, "illegal_argument_exception",
                                         {"error": {"reason": "mapper [django_id] cannot be changed"}})

    fake.indices.put_mapping = refuse
    with pytest.raises(EngineUnavailable, match="run manage.py rebuild_index"):
        outbox.backend().search({"size": 0})


# -- the real 7.17 client on the wire (its network replaced) -------------------------------------
COMPATIBLE = "application/vnd.elasticsearch+json;compatible-with=7"


@pytest.fixture
def wire(settings, monkeypatch):
    monkeypatch.setattr(RecordingConnection, "sent", [])
    monkeypatch.setenv("ELASTIC_CLIENT_APIVERSIONING", "1")  # as archive/settings/base.py sets it
    with elasticsearch_connection(settings, URL, connection_class=RecordingConnection) as backend:
        yield backend


def test_the_client_asks_for_the_7_api_in_compatibility_mode(wire):
    found = current_engine().find(SearchPlan(parse_query("芯片"), False, search_filters({})))
    assert found.count == 0
    requests = [(method, path) for method, path, *_rest in RecordingConnection.sent]
    assert requests == [("GET", "/"), ("PUT", "/archive-test"), ("PUT", "/archive-test/_mapping"),
                        ("POST", "/archive-test/_search")]  # the product check, the index, the search
    _method, _path, _params, body, headers = RecordingConnection.sent[-1]
    assert json.loads(body) == {"query": found.query, "size": 0, "track_total_hits": True, "aggs": summary_aggs()}
    assert headers["accept"] == headers["content-type"] == COMPATIBLE


def test_the_outbox_writes_one_bulk_request_then_refreshes(wire):
    article = make_article(body="常州半导体产业加快发展。")
    outbox.write_articles([article.pk, 999_999])
    (bulk_request,) = [sent for sent in RecordingConnection.sent if sent[1] == "/archive-test/_bulk"]
    lines = [json.loads(line) for line in bulk_request[3].decode().splitlines()]
    assert lines[0] == {"index": {"_id": f"archive.article.{article.pk}"}}
    assert lines[1]["text"].split() == query_terms(f"{article.headline}\n常州半导体产业加快发展。")
    assert lines[2] == {"delete": {"_id": "archive.article.999999"}}
    assert bulk_request[4]["content-type"] == COMPATIBLE  # the 7.17 client's compatible type for ndjson too
    assert RecordingConnection.sent[-1][:2] == ("POST", "/archive-test/_refresh")


def test_another_product_is_refused_by_name(wire, monkeypatch):
    monkeypatch.setattr(RecordingConnection, "product", "OpenSearch")
    with pytest.raises(EngineUnavailable, match="is not a supported Elasticsearch server"):
        wire.search({"size": 0})
