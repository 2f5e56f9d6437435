"""The Elasticsearch 7 engine (search/elasticsearch.py), without an Elasticsearch server:
its mapping, the pre-cut documents it sends (the same terms the Whoosh index holds),
the query bodies, the outbox writer, and the settings switch."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from types import SimpleNamespace

import pytest
from haystack import connections

from archive.models import Article
from archive.text.words import char_terms, query_terms
from search.analysis import WordAnalyzer
from search.indexing import outbox
from search.service.query import parse_query
from tests.factories import make_article, make_publication, make_section
from tests.subprocess_helpers import PYTHON, ROOT, subprocess_env

es = pytest.importorskip("search.elasticsearch")
from search.engines import elasticsearch as es_engine  # noqa: E402

TRADITIONAL_BODY = "區委副書記、區長惲淇丞走訪調研芯片產業相關企業,全角ＡＢＣ２０２４。\n化合物半導體產業看著發展。"


@pytest.fixture
def backend():
    return es.ArchiveElasticsearchBackend("default", URL="http://127.0.0.1:9", INDEX_NAME="archive-test")


@pytest.fixture
def fields():
    return connections["default"].get_unified_index().all_searchfields()


def test_mapping_whitespace_text_fields_and_keyword_facets(backend, fields):
    content_field, mapping = backend.build_schema(fields)
    assert content_field == "text"
    text_mapping = {"type": "text", "analyzer": es.ANALYZER}
    for name in ("text", "headline", "byline", "chars"):
        assert mapping[name] == text_mapping, name
    for name in ("city", "district", "publication", "kind", "year", "story",
                 "industry", "company", "person", "place", "id", "django_ct", "django_id"):
        assert mapping[name] == {"type": "keyword"}, name
    assert mapping["date"] == {"type": "date"}
    assert mapping["fingerprint"]["index"] is False
    assert set(mapping) == {*fields, "id", "django_ct", "django_id", "fingerprint"} - {"grams"}
    assert backend.precut_fields() == {"text": "words", "headline": "words", "byline": "words", "chars": "chars",
                                       "grams": "omitted"}


def test_analyzer_only_splits_on_whitespace(backend):
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert analysis["analyzer"][es.ANALYZER] == {"type": "custom", "tokenizer": "whitespace", "filter": []}
    current = backend._get_current_mapping({"text": {}})
    assert current["_source"] == {"excludes": ["text", "chars"]}
    assert "properties" in current


@pytest.mark.django_db
def test_documents_carry_folded_text_cut_into_words(backend):
    article = make_article(
        make_section(make_publication("武進新聞", city="常州", district="武进区"), issue_date=dt.date(2025, 3, 6)),
        headline="區領導調研芯片產業相關企業", kicker="聚力“芯”賽道", body=TRADITIONAL_BODY,
        bylines=["陽湖網"], city="常州", district="武进区", date=dt.date(2025, 3, 6),
    )
    index = connections["default"].get_unified_index().get_index(Article)
    doc = backend.document(index, article)

    assert doc["_id"] == doc["id"] == f"archive.article.{article.pk}"
    assert doc["django_ct"] == "archive.article" and doc["django_id"] == str(article.pk)
    text = index.prepare_text(article)
    assert doc["text"] == " ".join(query_terms(text))
    # The same terms, in the same order (so at the same positions), as the Whoosh word field.
    assert doc["text"].split() == [token.text for token in WordAnalyzer()(text)]
    words = doc["text"].split()
    assert "恽淇丞" in words and "芯片" in words and "abc" in words and "2024" in words
    assert not set("區惲調產業體著") & set(doc["text"])  # folded to Simplified
    assert doc["chars"].split() == char_terms(text) and "港" not in doc["chars"]
    assert all(len(term) == 1 or term.isascii() for term in doc["chars"].split())
    assert doc["headline"].split() == query_terms("聚力“芯”賽道 區領導調研芯片產業相關企業")
    assert doc["byline"] == "阳湖 网" or doc["byline"].replace(" ", "") == "阳湖网"
    assert doc["city"] == "常州" and doc["district"] == "武进区" and doc["publication"] == "武進新聞"
    assert doc["date"] == "2025-03-06T00:00:00" and doc["year"] == "2025"
    assert len(doc["fingerprint"]) == 40
    json.dumps(doc, ensure_ascii=False)  # what the bulk request sends


@pytest.mark.django_db
def test_outbox_writes_through_the_es_writer(backend, monkeypatch):
    """The outbox's write_articles works unchanged on this backend: one bulk request."""
    article = make_article(body="常州半导体产业加快发展。")
    sent = []
    monkeypatch.setattr(backend, "setup_complete", True)
    monkeypatch.setattr(es.BulkWriter, "send", lambda self, refresh=True: sent.append(list(self.actions)))
    monkeypatch.setattr(outbox, "backend", lambda: backend)
    outbox.write_articles([article.pk, 999_999])
    (actions,) = sent
    update = next(action for action in actions if action.get("_op_type") != "delete")
    assert update["_id"] == f"archive.article.{article.pk}"
    assert update["text"].split() == query_terms(f"{article.headline}\n常州半导体产业加快发展。")
    assert {"_op_type": "delete", "_id": "archive.article.999999"} in actions


def test_query_body_mirrors_the_query_language():
    parsed = parse_query('芯片 "化合物半导体" -无锡 headline:摩尔线程')
    body = es_engine.search_body(parsed, {"city": "常州", "year": 2024}, page=2, per_page=10, sort="newest")
    outer = body["query"]["bool"]
    assert {"term": {"city": "常州"}} in outer["filter"] and {"term": {"year": "2024"}} in outer["filter"]
    inner = outer["must"][0]["bool"]
    assert len(inner["must"]) == 3 and len(inner["must_not"]) == 1
    chip = inner["must"][0]["bool"]
    # every spelling of the word: 芯片 and the Taiwan word 晶片 (archive/text/variants.py)
    assert chip["must"] == [{"bool": {"should": [{"match_phrase": {"chars": {"query": "芯 片", "boost": 0.3}}},
                                                 {"match_phrase": {"chars": {"query": "晶 片", "boost": 0.3}}}],
                                      "minimum_should_match": 1}}]
    assert {"match_phrase": {"headline": {"query": "芯片", "boost": 3.0}}} in chip["should"]
    assert inner["must"][2] == {"match_phrase": {"headline": {"query": " ".join(query_terms("摩尔线程")),
                                                              "boost": 3.0}}}
    assert body["from"] == 10 and body["size"] == 10
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert body["collapse"] == {"field": "story"}
    assert set(body["aggs"]) == {"city", "district", "publication", "year", "kind", "industry", "company",
                                 "person", "place"}
    assert es_engine.search_body(parse_query("  "), {}) is None
    loose = es_engine.search_body(parse_query("一 二 三 四 五 六 七 八"), {}, loose=True)
    assert loose["query"]["bool"]["minimum_should_match"] == 4


def _settings_in_subprocess(tmp_path, **env) -> subprocess.CompletedProcess:
    code = (
        "import django, json, sys; django.setup()\n"
        "from django.conf import settings\n"
        "import search.service.results, search.indexing.outbox, archive.urls\n"
        "print(json.dumps({'haystack': settings.HAYSTACK_CONNECTIONS['default'],"
        " 'es_client_imported': 'elasticsearch' in sys.modules}))\n"
    )
    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=subprocess_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=120)


def test_settings_switch_to_elasticsearch(tmp_path):
    default = _settings_in_subprocess(tmp_path)
    assert default.returncode == 0, default.stderr
    found = json.loads(default.stdout)
    assert found["haystack"]["ENGINE"] == "search.backend.ArchiveWhooshEngine"
    assert found["es_client_imported"] is False  # the rest of the archive never needs the client

    switched = _settings_in_subprocess(tmp_path, ARCHIVE_SEARCH_ENGINE="elasticsearch",
                                       ARCHIVE_ELASTICSEARCH_URL="http://search.internal:9200/")
    assert switched.returncode == 0, switched.stderr
    found = json.loads(switched.stdout)
    assert found["haystack"] == {"ENGINE": "search.elasticsearch.ArchiveElasticsearchEngine",
                                 "URL": "http://search.internal:9200/", "INDEX_NAME": "jiangsu-news-archive"}

    wrong = _settings_in_subprocess(tmp_path, ARCHIVE_SEARCH_ENGINE="solr")
    assert wrong.returncode != 0 and "ARCHIVE_SEARCH_ENGINE" in wrong.stderr


def test_bulk_writer_sends_one_bulk_request_and_refreshes(backend):
    """The wire format: index actions with the document as source, deletes by id, one refresh."""
    from elasticsearch.serializer import JSONSerializer
    calls = []

    class FakeIndices:
        def refresh(self, index):
            calls.append(("refresh", index))

    class FakeClient:
        indices = FakeIndices()
        transport = SimpleNamespace(serializer=JSONSerializer())

        def bulk(self, body, index=None, **kwargs):
            lines = [json.loads(line) for line in body.strip().splitlines()] if isinstance(body, str) else body
            calls.append(("bulk", index, lines))
            items = [{"index": {"status": 201}}, {"delete": {"status": 404}}]
            return {"errors": True, "items": items}

    backend.conn = FakeClient()
    writer = es.BulkWriter(backend)
    writer.update_document(id="archive.article.1", django_ct="archive.article", django_id="1", text="芯片 产业")
    writer.delete_by_term("id", "archive.article.2")
    with pytest.raises(ValueError):
        writer.delete_by_term("city", "常州")
    writer.send()
    (_, index, lines), refresh = calls
    assert index == "archive-test" and refresh == ("refresh", "archive-test")
    assert lines[0] == {"index": {"_id": "archive.article.1"}}
    assert lines[1] == {"id": "archive.article.1", "django_ct": "archive.article", "django_id": "1", "text": "芯片 产业"}
    assert lines[2] == {"delete": {"_id": "archive.article.2"}}
