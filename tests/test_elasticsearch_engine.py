"""The Elasticsearch engine without a cluster: the request bodies it sends for each question
(pinned), and the answers it reads, written in the shapes the Elasticsearch 8.19 reference
documents for each API used (the 7.17 client reads them unchanged in REST compatibility mode):

- search API: hits.total as {"value", "relation"} with track_total_hits; hits with _id,
  _score, _source and, when sorted, "sort" (the values search_after takes); with collapse, each
  hit carries the collapse key under "fields";
- aggregations: terms ({"doc_count_error_upper_bound", "sum_other_doc_count", "buckets":
  [{"key", "doc_count"}]}), cardinality ({"value"}), date_histogram ({"buckets": [{"key_as_string",
  "key", "doc_count", …sub-aggregations}]}), composite ({"after_key", "buckets": [{"key": {…},
  "doc_count"}]});
- more_like_this: a query inside the search API (its answer is ordinary hits);
- bulk API: {"took", "errors", "items": [{"index"|"delete": {"_id", "result", "status"}}]}.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from search.engines.base import EngineUnsupported
from search.engines.elasticsearch import aggs
from search.engines.elasticsearch.compile import search_query, sort_order
from search.engines.elasticsearch.engine import ElasticsearchEngine
from search.engines.elasticsearch.found import ElasticsearchFound, walk
from search.engines.elasticsearch.terms import gram_runs
from search.service.plan import SearchPlan, search_filters
from search.service.query import parse_query
from tests.elasticsearch_helpers import NO_HITS

SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def plan(query: str, loose: bool = False, sort: str = "relevance", collapse: bool = True, **filters) -> SearchPlan:
    return SearchPlan(parse_query(query), loose, search_filters(filters), sort, collapse)


def terms_agg(*buckets: tuple[str, int], other: int = 0) -> dict:
    return {"doc_count_error_upper_bound": 0, "sum_other_doc_count": other,
            "buckets": [{"key": key, "doc_count": count} for key, count in buckets]}


def hit(pk: int, score: float | None = None, sort: list | None = None, story: str | None = None) -> dict:
    found = {"_index": "archive-test", "_id": f"archive.article.{pk}", "_score": score,
             "_source": {"django_id": str(pk)}}
    if sort is not None:
        found["sort"] = sort
    if story is not None:
        found["fields"] = {"story_group": [story]}
    return found


def hits_response(hits: list[dict], total: int | None = None) -> dict:
    hits_part: dict = {"max_score": None, "hits": hits}
    if total is not None:
        hits_part["total"] = {"value": total, "relation": "eq"}
    return {"took": 2, "timed_out": False, "_shards": SHARDS, "hits": hits_part}


SUMMARY = {
    "took": 5, "timed_out": False, "_shards": SHARDS,
    "hits": {"total": {"value": 7, "relation": "eq"}, "max_score": None, "hits": []},
    "aggregations": {
        "city": terms_agg(("常州", 5), ("无锡", 1), ("", 1)),
        "district": terms_agg(("武进区", 4)),
        "publication": terms_agg(("常州日报", 4), ("武进日报", 3)),
        "year": terms_agg(("2024", 6), ("", 1)),
        "kind": terms_agg(("text", 7)),
        "industry": terms_agg(("集成电路", 5), ("新能源", 2)),
        "company": terms_agg(*((f"公司{i:02d}", 30 - i) for i in range(20)), other=12),
        "person": terms_agg(),
        "place": terms_agg(("武进区", 3)),
        "stories": {"value": 5},
        "months": {"buckets": [
            {"key_as_string": "2024-05-01", "key": 1714521600000, "doc_count": 4,
             "city": terms_agg(("常州", 3), ("无锡", 1))},
            {"key_as_string": "2024-10-01", "key": 1727740800000, "doc_count": 2,
             "city": terms_agg(("常州", 1), ("", 1))},
        ]},
    },
}


class Recorder:
    """The backend's search(body), answered from a list, every body kept."""

    def __init__(self, *answers: dict) -> None:
        self.answers = list(answers)
        self.bodies: list[dict] = []

    def __call__(self, body: dict) -> dict:
        self.bodies.append(body)
        return self.answers.pop(0)


def found_with(*answers: dict, **plan_options) -> tuple[ElasticsearchFound, Recorder]:
    search = Recorder(*answers)
    options = {"query": "芯片", **plan_options}
    the_plan = plan(options.pop("query"), **options)
    return ElasticsearchFound(the_plan, search_query(the_plan), search), search


# -- the query -------------------------------------------------------------------------
def test_the_query_mirrors_the_query_language():
    query = search_query(plan('芯片 "化合物半导体" -无锡 headline:摩尔线程', city="常州", year=2024))
    match, *filters = query["bool"]["filter"]
    assert filters == [{"term": {"city": "常州"}}, {"term": {"year": "2024"}}]
    chip, compound, headline = match["bool"]["filter"]
    # every spelling of the word: 芯片 and the Taiwan word 晶片, each a phrase of its pairs
    assert chip == {"bool": {"should": [{"term": {"grams": {"value": "芯片"}}}, {"term": {"grams": {"value": "晶片"}}}],
                             "minimum_should_match": 1}}
    assert compound == {"match_phrase": {"grams": {"query": "化合 合物 物半 半导 导体"}}}
    assert headline == {"term": {"headline": {"value": "摩尔线程"}}}  # one word in the user dictionary
    assert match["bool"]["must_not"] == [{"term": {"grams": {"value": "无锡"}}}]
    ranked = query["bool"]["should"]
    assert ranked[:2] == [{"term": {"headline": {"value": "芯片", "boost": 3.0}}},
                          {"term": {"text": {"value": "芯片", "boost": 1.0}}}]
    assert {"term": {"headline": {"value": "摩尔线程", "boost": 3.0}}} in ranked
    two_words = search_query(plan("byline:朱梦琪 headline:集成电路产业"))["bool"]["filter"][0]["bool"]["filter"]
    assert two_words[1] == {"match_phrase": {"headline": {"query": "集成电路 产业"}}}


def test_pieces_of_a_term_and_a_single_ideograph():
    match = search_query(plan("5G基站"))["bool"]["filter"][0]["bool"]["filter"][0]
    assert match == {"bool": {"filter": [{"term": {"text": {"value": "5g"}}}, {"term": {"grams": {"value": "基站"}}}]}}
    single = search_query(plan("港"))["bool"]["filter"][0]["bool"]["filter"][0]
    assert single == {"term": {"chars": {"value": "港"}}}


def test_loosened_and_empty_queries():
    loose = search_query(plan("一 二 三 四 五 六 七 八", loose=True))["bool"]["filter"][0]
    assert loose["bool"]["minimum_should_match"] == 4 and len(loose["bool"]["should"]) == 8
    assert search_query(plan("  ")) is None


def test_dates_and_sorts():
    query = search_query(plan("芯片", date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31)))
    assert {"range": {"date": {"gte": "2024-10-01T00:00:00", "lte": "2024-10-31T23:59:59"}}} in query["bool"]["filter"]
    assert sort_order("newest") == [{"date": {"order": "desc", "missing": "_last"}}, {"django_id": {"order": "asc"}}]
    assert sort_order("relevance")[0] == {"_score": {"order": "desc"}}
    assert sort_order("relevance")[-1] == {"django_id": {"order": "asc"}}


def test_gram_runs_never_join_two_runs():
    assert gram_runs("于燮康,工程機械 A 港") == ["于燮 燮康", "工程 程机 机械"]


# -- the summary: count, stories, facets, timeline -----------------------------------------
def test_the_summary_is_one_request_read_into_whoosh_shapes():
    found, search = found_with(SUMMARY)
    assert found.count == 7 and found.story_count() == 5
    assert found.value_counts("city") == Counter({"常州": 5, "无锡": 1, "": 1})
    assert found.multi_value_counts("company", 3) == Counter({"公司00": 30, "公司01": 29, "公司02": 28})
    assert found.month_city_counts(years_beyond=120) == Counter({
        (dt.date(2024, 5, 1), "常州"): 3, (dt.date(2024, 5, 1), "无锡"): 1,
        (dt.date(2024, 10, 1), "常州"): 1, (dt.date(2024, 10, 1), ""): 1})
    assert found.month_city_counts(years_beyond=5) == Counter({
        (dt.date(2024, 1, 1), "常州"): 4, (dt.date(2024, 1, 1), "无锡"): 1, (dt.date(2024, 1, 1), ""): 1})
    (body,) = search.bodies
    assert body["size"] == 0 and body["track_total_hits"] is True
    assert body["aggs"]["city"] == {"terms": {"field": "city", "size": 10_000,
                                              "order": [{"_count": "desc"}, {"_key": "asc"}]}}
    assert body["aggs"]["company"]["terms"]["size"] == 20
    assert body["aggs"]["stories"] == {"cardinality": {"field": "story_group", "precision_threshold": 40_000}}
    assert body["aggs"]["months"]["date_histogram"] == {"field": "date", "calendar_interval": "month",
                                                       "format": "yyyy-MM-dd", "min_doc_count": 1}
    assert body["aggs"]["months"]["aggs"]["city"]["terms"]["missing"] == ""


def test_other_counts_ask_for_their_own_aggregation():
    found, search = found_with(SUMMARY, {**NO_HITS, "aggregations": {"company": terms_agg(("甲", 2), ("乙", 1))}})
    assert found.count == 7
    assert found.multi_value_counts("company", 50) == Counter({"甲": 2, "乙": 1})
    assert search.bodies[1]["aggs"] == {"company": {"terms": {"field": "company", "size": 50,
                                                              "order": [{"_count": "desc"}, {"_key": "asc"}]}}}


# -- pages and ids ---------------------------------------------------------------------------
def test_a_page_of_stories_collapses_on_story_group():
    page_answer = hits_response([hit(11, 7.5, [7.5, 1727740800000, 11], "story-1"),
                                 hit(12, 3.25, [3.25, 1714521600000, 12], "archive.article.12")])
    found, search = found_with(SUMMARY, page_answer)
    page = found.page(2, 2)
    assert page.total == 5 and page.hits == [(11, 7.5), (12, 3.25)] and page.copied
    body = search.bodies[1]
    assert body["collapse"] == {"field": "story_group"}
    assert body["from"] == 2 and body["size"] == 2 and body["track_total_hits"] is False
    assert body["track_scores"] is True and body["_source"] == ["django_id"]
    assert body["sort"] == sort_order("relevance") and body["query"] == found.query


def test_a_page_of_articles_by_date():
    found, search = found_with(SUMMARY, hits_response([hit(3, None, [1727740800000, 3])]), sort="newest",
                               collapse=False)
    page = found.page(1, 20)
    assert page.total == 7 and page.hits == [(3, 0.0)] and not page.copied
    assert "collapse" not in search.bodies[1] and "track_scores" not in search.bodies[1]


def test_pages_past_the_end_or_the_window():
    found, search = found_with(SUMMARY)
    assert found.page(3, 20).hits == [] and len(search.bodies) == 1  # past the last row: no request
    big = {**SUMMARY, "hits": {**SUMMARY["hits"], "total": {"value": 50_000, "relation": "eq"}}}
    found, _ = found_with(big, collapse=False)
    with pytest.raises(EngineUnsupported, match="past the 10,000th row"):
        found.page(501, 20)


def test_ids_walk_every_match_with_search_after(monkeypatch):
    monkeypatch.setattr("search.engines.elasticsearch.found.WALK_CHUNK", 2)
    first = hits_response([hit(5, 2.0, [2.0, 1, 5]), hit(9, 1.0, [1.0, 1, 9])])
    second = hits_response([hit(4, 1.0, [1.0, 0, 4])])
    found, search = found_with(SUMMARY, first, second)
    assert found.ids(5000) == [5, 9, 4]
    assert "search_after" not in search.bodies[1] and search.bodies[1]["size"] == 2
    assert search.bodies[2]["search_after"] == [1.0, 1, 9]
    assert all("collapse" not in body for body in search.bodies[1:])


def test_walk_stops_at_the_limit():
    search = Recorder(hits_response([hit(1, sort=[1]), hit(2, sort=[2])]))
    assert [h["_id"] for h in walk(search, {"query": {"match_all": {}}, "sort": ["x"]}, limit=2, chunk=10)] == \
        ["archive.article.1", "archive.article.2"]
    assert search.bodies[0]["size"] == 2


# -- the vocabulary ------------------------------------------------------------------------------
class FakeBackend:
    def __init__(self, *answers: dict) -> None:
        self.search = Recorder(*answers)


def test_prefix_suggestions_take_the_longest_prefix_that_has_words():
    answer = {**NO_HITS, "aggregations": {"prefix_3": terms_agg(), "prefix_2": terms_agg(("芯片", 9), ("芯片组件", 1))}}
    backend = FakeBackend(answer)
    assert ElasticsearchEngine(backend).suggestions(["芯片组"], 5) == ["芯片", "芯片组件"]
    body = backend.search.bodies[0]
    assert body["aggs"]["prefix_2"] == {"terms": {"field": "words", "size": 3, "include": "芯片.*",
                                                  "order": [{"_count": "desc"}, {"_key": "asc"}]}}
    assert set(body["aggs"]) == {"prefix_3", "prefix_2"}


def test_symbols_are_literal_in_patterns():
    assert aggs.literal("c++ 5.0") == "c\\+\\+\\ 5\\.0"


def test_word_counts_ask_one_terms_aggregation_for_exactly_those_words():
    answer = {**NO_HITS, "aggregations": {"counts": terms_agg(("半导体", 4), ("集成电路", 2))}}
    backend = FakeBackend(answer)
    assert ElasticsearchEngine(backend).word_counts(["半导体", "集成电路", "半岛体"]) == {"半导体": 4, "集成电路": 2}
    body = backend.search.bodies[0]
    assert body["size"] == 0 and body["query"] == {"terms": {"words": ["半导体", "集成电路", "半岛体"]}}
    assert body["aggs"]["counts"]["terms"] == {"field": "words", "include": ["半导体", "集成电路", "半岛体"], "size": 3}
    assert ElasticsearchEngine(FakeBackend()).word_counts([]) == {}


def test_related_articles_are_more_like_this_without_the_article():
    backend = FakeBackend(hits_response([hit(8, 4.0), hit(2, 1.5)]))
    assert ElasticsearchEngine(backend).related_ids(5, "常州半导体产业加快发展", 10) == [8, 2]
    body = backend.search.bodies[0]
    (mlt,) = body["query"]["bool"]["must"]
    assert mlt["more_like_this"] == {"fields": ["text"], "like": "常州 半导体 产业 加快 发展", "max_query_terms": 12,
                                     "min_term_freq": 1, "min_doc_freq": 1, "minimum_should_match": "1"}
    assert body["query"]["bool"]["must_not"] == [{"ids": {"values": ["archive.article.5"]}}]
    assert body["size"] == 10
    assert ElasticsearchEngine(backend).related_ids(5, "  ", 10) == []


def test_find_returns_none_without_words():
    assert ElasticsearchEngine(FakeBackend()).find(plan("")) is None
