"""The Elasticsearch backend (search/elasticsearch.py), without an Elasticsearch server:
its mapping, the pre-cut documents it sends (the same terms the Whoosh index holds), the
outbox writer, and the settings switch. The engine's requests and responses:
tests/test_elasticsearch_engine.py."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from types import SimpleNamespace

import pytest
from haystack import connections

from archive.models import Article
from archive.text.words import char_terms, query_terms
from search.analysis import BigramAnalyzer, WordAnalyzer
from search.indexing import outbox
from tests.factories import make_article, make_publication, make_section
from tests.subprocess_helpers import PYTHON, ROOT, subprocess_env

es = pytest.importorskip("search.elasticsearch")

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
    for name in ("text", "headline", "byline", "chars", "grams"):
        assert mapping[name] == text_mapping, name
    for name in ("city", "district", "publication", "kind", "year", "story", "story_group",
                 "industry", "company", "person", "place", "id", "django_ct"):
        assert mapping[name] == {"type": "keyword"}, name
    assert mapping["django_id"] == {"type": "long"}  # the order's tiebreaker: numeric
    assert mapping["date"] == {"type": "date"}
    assert mapping["fingerprint"]["index"] is False
    assert mapping["words"] == {"type": "keyword", "index": False}  # aggregated, never searched
    assert set(mapping) == {*fields, "id", "django_ct", "django_id", "fingerprint", "words", "story_group"}
    assert backend.precut_fields() == {"text": "words", "headline": "words", "byline": "words", "chars": "chars",
                                       "grams": "grams"}


def test_analyzer_only_splits_on_whitespace(backend):
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert analysis["analyzer"][es.ANALYZER] == {"type": "custom", "tokenizer": "whitespace", "filter": []}
    current = backend._get_current_mapping({"text": {}})
    assert current["_source"] == {"excludes": ["text", "chars", "grams", "words"]}
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
    # Whoosh's pairs of ideographs, one string per run: a phrase of pairs never spans two runs.
    assert doc["grams"] == [" ".join(run) for run in _whoosh_pair_runs(text)]
    assert doc["words"] == sorted(set(doc["text"].split()))
    assert doc["story_group"] == doc["id"]  # no story key: a story of its own
    json.dumps(doc, ensure_ascii=False)  # what the bulk request sends


def _whoosh_pair_runs(text: str) -> list[list[str]]:
    """The Whoosh pair field's tokens, split where their offsets are not consecutive."""
    runs: list[list[str]] = []
    last = None
    for token in BigramAnalyzer()(text, positions=True):
        if last is None or token.pos != last + 1:
            runs.append([])
        runs[-1].append(token.text)
        last = token.pos
    return runs


@pytest.mark.django_db
def test_copies_share_their_story_group(backend):
    index = connections["default"].get_unified_index().get_index(Article)
    first, second = (make_article(body="同一篇报道。", story_key="story-1") for _ in range(2))
    assert backend.document(index, first)["story_group"] == backend.document(index, second)["story_group"] == "story-1"


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


def _settings_in_subprocess(tmp_path, **env) -> subprocess.CompletedProcess:
    code = (
        "import django, json, sys; django.setup()\n"
        "from django.conf import settings\n"
        "import search.service.results, search.indexing.outbox, archive.urls\n"
        "import os\n"
        "print(json.dumps({'haystack': settings.HAYSTACK_CONNECTIONS['default'],"
        " 'es_client_imported': 'elasticsearch' in sys.modules,"
        " 'compatibility': os.environ.get('ELASTIC_CLIENT_APIVERSIONING')}))\n"
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
                                 "URL": "http://search.internal:9200/", "INDEX_NAME": "jiangsu-news-archive",
                                 "TIMEOUT": 10.0}
    assert found["compatibility"] == "1"  # the 7.17 client in REST compatibility mode (Elasticsearch 8)

    with_ca = _settings_in_subprocess(tmp_path, ARCHIVE_SEARCH_ENGINE="elasticsearch",
                                      ARCHIVE_ELASTICSEARCH_CA_CERTS="/etc/archive/es-ca.pem")
    assert json.loads(with_ca.stdout)["haystack"]["KWARGS"] == {"ca_certs": "/etc/archive/es-ca.pem"}

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
