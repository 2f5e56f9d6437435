"""What a search means, written once and run against every engine: the query language,
scripts and regional words, filters, facets, copies and collapsing, highlights, loosening,
order, the timeline, suggestions, related articles, the export and consistency.

The Whoosh run is always on. The Elasticsearch run uses the cluster at
ARCHIVE_ELASTICSEARCH_URL (an index of its own, removed afterwards) and is skipped, with the
reason in the summary (`-ra` is in the default options), when none is set or reachable:

    ARCHIVE_ELASTICSEARCH_URL=http://127.0.0.1:9200/ .venv/bin/python -m pytest tests/test_engine_behaviour.py

The corpus is small and written here, so every expectation can be checked by reading it.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter

import elasticsearch
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import Article, ArticleEntity, ArticleIndustry, Entity, Industry
from search.elasticsearch import public_url
from search.engines.current import current_engine
from search.indexing import consistency, outbox
from search.models import PendingIndexChange
from search.service.plan import SearchPlan, search_filters
from search.service.query import parse_query
from search.service.related import related_articles
from tests.elasticsearch_helpers import cluster_url, elasticsearch_connection
from tests.factories import make_article, make_publication, make_section

pytestmark = pytest.mark.django_db

API = reverse("archive:api_article_list")
CONFERENCE = "常州举办半导体产业发展大会"
SKIPPED = "Elasticsearch run skipped:"  # tests/conftest.py sums these up at the end of the run


@pytest.fixture(scope="session")
def cluster():
    """(URL, None) of a reachable cluster, or (None, why there is none)."""
    url = cluster_url()
    if not url:
        yield None, f"{SKIPPED} ARCHIVE_ELASTICSEARCH_URL is not set (no cluster to run it on)"
        return
    patch = pytest.MonkeyPatch()
    patch.setenv("ELASTIC_CLIENT_APIVERSIONING", "1")  # as archive/settings/base.py sets it
    try:
        elasticsearch.Elasticsearch(url, timeout=5).info()
    except Exception as exc:  # noqa: BLE001 - any failure means: no cluster to test on
        patch.undo()
        yield None, f"{SKIPPED} no cluster reachable at {public_url(url)} ({type(exc).__name__})"
        return
    yield url, None
    patch.undo()


@pytest.fixture(params=["whoosh", "elasticsearch"])
def engine(request, settings, cluster):
    """The engine under test: the default Whoosh index, or an index of this run's own on the cluster."""
    if request.param == "whoosh":
        yield "whoosh"
        return
    url, reason = cluster
    if url is None:
        pytest.skip(reason)
    with elasticsearch_connection(settings, url, index=f"archive-behaviour-{os.getpid()}") as backend:
        backend.clear()
        yield "elasticsearch"
        backend.clear()


def article(headline: str, body: str, *, publication: str, city: str, date: dt.date | None,
            story: str = "", bylines: tuple[str, ...] = ()) -> Article:
    section = make_section(make_publication(publication, city=city), issue_date=date or dt.date(2024, 1, 1))
    return make_article(section, headline=headline, body=body, city=city, date=date, story_key=story,
                        bylines=list(bylines))


def build_corpus() -> dict[str, Article]:
    """The articles, with a company and an industry linked."""
    conference = "2024年第二届特色工艺半导体产业发展常州大会在武进举行。化合物半导体企业代表参会。"
    found = {
        "conference": article(CONFERENCE, conference, publication="常州日报", city="常州",
                              date=dt.date(2024, 5, 10), story="s-conference", bylines=("朱梦琪",)),
        "conference_copy": article(CONFERENCE, conference, publication="武进日报", city="常州",
                                   date=dt.date(2024, 5, 11), story="s-conference"),
        "conference_repost": article(CONFERENCE, conference, publication="江苏经济报", city="南京",
                                     date=dt.date(2024, 5, 12), story="s-conference"),
        "cluster": article("无锡集成电路产业集群建设推进会召开", "市政府召开集成电路产业集群建设工作推进会,半导体设备企业发言。",
                           publication="无锡日报", city="无锡", date=dt.date(2024, 10, 8), bylines=("惠晓婧",)),
        "taiwan": article("區領導調研芯片產業相關企業", "區委副書記走訪調研芯片產業相關企業,了解積體電路設計進展。",
                          publication="武进新闻网", city="常州", date=dt.date(2024, 10, 20)),
        "machinery": article("工程机械产业链对接会", "徐工集团工程机械产业链上下游企业参加对接会。",
                             publication="徐州日报", city="徐州", date=dt.date(2023, 3, 1)),
        "apart": article("工程建设与机械维修培训", "本次培训涵盖工程建设管理与机械维修技能。",
                         publication="徐州日报", city="徐州", date=dt.date(2023, 6, 1)),
        "hongkong": article("香港客商来常考察", "香港投资考察团访问常州高新区。",
                            publication="常州日报", city="常州", date=dt.date(2024, 1, 5)),
        "moore": article("摩尔线程无锡研发总部签约", "摩尔线程系统级产品研发总部签约落户无锡,一批生态企业同步落户。",
                         publication="无锡日报", city="无锡", date=dt.date(2024, 12, 1)),
        "undated": article("芯片人才政策解读", "芯片人才政策出台。", publication="常州日报", city="", date=None),
    }
    company = Entity.objects.create(kind=Entity.Kind.COMPANY, name="摩尔线程")
    ArticleEntity.objects.create(article=found["moore"], entity=company)
    circuits, _ = Industry.objects.get_or_create(name="集成电路")
    for name in ("cluster", "moore", "taiwan"):
        ArticleIndustry.objects.create(article=found[name], industry=circuits)
    return found


def index(articles: dict[str, Article]) -> None:
    """Indexed by the configured engine through the outbox, as after their commit."""
    outbox.write_articles(sorted(item.pk for item in articles.values()))
    PendingIndexChange.objects.all().delete()


@pytest.fixture
def corpus(engine) -> dict[str, Article]:
    """The corpus, indexed by the engine under test."""
    articles = build_corpus()
    index(articles)
    return articles


def api(client, **params) -> dict:
    params = {"page_size": 100, **params}
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def names(corpus: dict[str, Article], rows: list[dict]) -> set[str]:
    by_id = {item.pk: name for name, item in corpus.items()}
    return {by_id[row["id"]] for row in rows}


def found(client, corpus, query: str, **params) -> set[str]:
    """Every article the query matches (copies listed one by one)."""
    return names(corpus, api(client, q=query, collapse="0", **params)["results"])


# -- the query language --------------------------------------------------------------------
CONFERENCE_ARTICLES = {"conference", "conference_copy", "conference_repost"}


@pytest.mark.parametrize("query, expected", [
    ("半导体", CONFERENCE_ARTICLES | {"cluster"}),
    ("半导体 武进", CONFERENCE_ARTICLES),  # every word required
    ("摩尔线程 OR 香港", {"moore", "hongkong"}),
    ("半导体 -无锡", CONFERENCE_ARTICLES),
    ('"产业集群"', {"cluster"}),
    ("工程机械", {"machinery"}),  # the characters in this order, not 工程 … 机械 apart
    ("工程 机械", {"machinery", "apart"}),
    ("港", {"hongkong"}),  # one character inside a word
    ("headline:摩尔线程", {"moore"}),
    ("byline:惠晓婧", {"cluster"}),
    ("芯片產業", {"taiwan"}),  # either script
    ("積體電路", {"cluster", "taiwan", "undated"}),  # Taiwan word = 集成电路, and its synonym 芯片
    ("集成电路", {"cluster", "taiwan", "undated"}),
    ("于燮康", set()),
])
def test_the_query_language(client, corpus, query, expected):
    assert found(client, corpus, query) == expected


# -- filters and facets ----------------------------------------------------------------------
def test_filters(client, corpus):
    assert found(client, corpus, "半导体", city="无锡") == {"cluster"}
    assert found(client, corpus, "工程", year=2023) == {"machinery", "apart"}
    assert found(client, corpus, "产业", date_from="2024-10-01", date_to="2024-10-31") == {"cluster", "taiwan"}
    assert found(client, corpus, "无锡", company="摩尔线程") == {"moore"}
    assert found(client, corpus, "企业", industry="集成电路") == {"cluster", "taiwan", "moore"}


def test_facets_count_articles(client, corpus):
    facets = api(client, q="半导体")["facets"]
    assert facets["city"] == [{"value": "常州", "count": 2}, {"value": "南京", "count": 1},
                              {"value": "无锡", "count": 1}]
    assert facets["year"] == [{"value": "2024", "count": 4}]
    assert {"value": "集成电路", "count": 1} in facets["industry"]
    assert api(client, q="摩尔线程")["facets"]["company"] == [{"value": "摩尔线程", "count": 1}]


# -- copies, highlights, loosening, order -------------------------------------------------------
def test_copies_are_one_row_unless_collapse_0(client, corpus):
    collapsed = api(client, q="半导体")
    assert (collapsed["count"], collapsed["counts"], collapsed["articles"]) == (2, "stories", 4)
    row = next(row for row in collapsed["results"] if row["headline"] == CONFERENCE)
    assert len(row["copies"]) == 2
    every = api(client, q="半导体", collapse="0")
    assert (every["count"], every["counts"]) == (4, "articles") and all(not r["copies"] for r in every["results"])


def test_highlights_in_the_published_script(client, corpus):
    (row,) = api(client, q="芯片产业")["results"]
    assert row["headline_html"] == "區領導調研<mark>芯片產業</mark>相關企業"


def test_a_pasted_sentence_is_loosened_best_first(client, corpus):
    data = api(client, q="摩尔线程在无锡建立研发总部并带动生态企业落户")
    assert data["loosened"] is True and data["results"][0]["id"] == corpus["moore"].pk


def test_words_found_only_apart_are_loosened(client, corpus):
    data = api(client, q="香港 半导体")
    assert data["loosened"] is True
    assert {"hongkong", "conference"} <= names(corpus, data["results"])


@pytest.mark.parametrize("sort, expected", [
    ("newest", ["taiwan", "cluster", "conference_repost", "conference_copy", "conference", "machinery"]),
    ("oldest", ["machinery", "conference", "conference_copy", "conference_repost", "cluster", "taiwan"]),
])
def test_sorted_by_date(client, corpus, sort, expected):
    rows = api(client, q="产业", sort=sort, collapse="0")["results"]
    by_id = {item.pk: name for name, item in corpus.items()}
    assert [by_id[row["id"]] for row in rows] == expected


def test_headline_matches_rank_first(client, corpus):
    rows = api(client, q="企业", collapse="0")["results"]  # in one headline, in seven bodies
    assert len(rows) == 7 and rows[0]["id"] == corpus["taiwan"].pk


def test_export_in_the_search_order(client, corpus):
    response = client.get(API, {"q": "产业", "sort": "oldest", "format": "csv", "collapse": "0"})
    assert response.status_code == 200 and response["X-Total-Count"] == "6"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [int(line.split(",")[0]) for line in lines[1:]][:2] == [corpus["machinery"].pk, corpus["conference"].pk]


# -- the timeline, suggestions, related articles ----------------------------------------------
def test_month_and_city_counts(corpus):
    plan = SearchPlan(parse_query("半导体"), False, search_filters({}))
    counts = current_engine().find(plan).month_city_counts(years_beyond=120)
    assert counts == Counter({(dt.date(2024, 5, 1), "常州"): 2, (dt.date(2024, 5, 1), "南京"): 1,
                              (dt.date(2024, 10, 1), "无锡"): 1})
    assert current_engine().find(plan).month_city_counts(years_beyond=None) == counts  # never per year
    machinery = SearchPlan(parse_query("机械"), False, search_filters({}))  # 2023-03 … 2023-06: per year past 2 months
    assert set(current_engine().find(machinery).month_city_counts(years_beyond=2)) == {(dt.date(2023, 1, 1), "徐州")}


@pytest.mark.parametrize("query, suggestion", [("半导休", "半导体"), ("bandaoti", "半导体"), ("香港客人", "香港")])
def test_did_you_mean(client, corpus, query, suggestion):
    data = api(client, q=query)
    assert suggestion in data["suggestions"]


def test_related_articles_leave_out_the_story(corpus):
    related = related_articles(corpus["conference"])
    assert related and not {item.story_key for item in related} & {"s-conference"}
    assert corpus["cluster"] in related  # shares 半导体, 产业, 企业


# -- consistency ------------------------------------------------------------------------------------
def test_check_index_finds_and_repairs_drift(corpus):
    assert consistency.find_drift().clean
    Article.objects.filter(pk=corpus["apart"].pk).update(headline="工程建设培训")  # no signal
    with pytest.raises(CommandError, match="differs from the database"):
        call_command("check_index", verbosity=0)
    call_command("check_index", "--repair", verbosity=0)
    assert consistency.find_drift().clean
    assert found_by_engine("headline:工程建设培训") == {corpus["apart"].pk}


def found_by_engine(query: str) -> set[int]:
    return set(current_engine().find(SearchPlan(parse_query(query), False, search_filters({}))).ids(100))


# -- both engines at once -------------------------------------------------------------------------
COMPARED = ["半导体", "半导体 武进", "摩尔线程 OR 香港", "半导体 -无锡", '"产业集群"', "工程机械", "工程 机械", "港",
            "headline:摩尔线程", "byline:惠晓婧", "芯片產業", "積體電路", "晶片", "产业", "企业", "的",
            "摩尔线程在无锡建立研发总部并带动生态企业落户"]


def answers(query: str, loose: bool) -> tuple:
    """Everything the engine answers about a query: ids, counts, facets, timeline."""
    found_all = current_engine().find(SearchPlan(parse_query(query), loose, search_filters({})))
    if found_all is None:
        return None
    return (set(found_all.ids(100)), found_all.count, found_all.story_count(), found_all.value_counts("city"),
            found_all.multi_value_counts("industry", 20), found_all.month_city_counts(120))


def test_the_same_query_finds_the_same_articles_in_both_engines(settings, cluster):
    url, reason = cluster
    if url is None:
        pytest.skip(reason)
    articles = build_corpus()
    index(articles)
    whoosh = {(query, loose): answers(query, loose) for query in COMPARED for loose in (False, True)}
    with elasticsearch_connection(settings, url, index=f"archive-compared-{os.getpid()}") as backend:
        backend.clear()
        try:
            index(articles)
            for key, expected in whoosh.items():
                assert answers(*key) == expected, key
        finally:
            backend.clear()
