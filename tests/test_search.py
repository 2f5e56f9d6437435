"""Search over the seeds through the JSON API and the HTML page: the issue's
examples, facets, sorting, query syntax, highlighting and query counts."""
from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Article
from archive.templatetags.archive_tags import facet_options
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

API = reverse("archive:api_article_list")
PAGE = reverse("search:search")

MOORE = "摩尔线程系统级产品研发总部签约 一批生态企业同步落户"
LEAD_000 = "2024年第二届特色工艺半导体产业发展常州大会举行"
LEAD_001 = "盛蕾走访调研我区化合物半导体产业重点企业"
WEB_002 = "區領導調研芯片產業相關企業"
MEETING_004 = "市政府召开集成电路产业集群建设工作推进会"
CHEN = "陈金虎率团赴深圳开展经贸洽谈活动"
CPPCC = "区政协常委会召开协商课题调研座谈会"


def api(client, **params) -> dict:
    params.setdefault("page_size", 50)
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def headlines(client, **params) -> set[str]:
    return {row["headline"] for row in api(client, **params)["results"]}


@pytest.mark.parametrize("query", ["芯片产业", "芯片產業"])
def test_both_scripts_find_the_traditional_page_highlighted(client, seeded, query):
    data = api(client, q=query)
    assert WEB_002 in {row["headline"] for row in data["results"]}
    row = next(row for row in data["results"] if row["headline"] == WEB_002)
    assert row["headline_html"] == "區領導調研<mark>芯片產業</mark>相關企業"
    assert "<mark>芯片產業</mark>" in row["snippet_html"]


def test_traditional_query_finds_simplified_stories(client, seeded):
    assert {LEAD_000, LEAD_001, MEETING_004} <= headlines(client, q="半導體")


@pytest.mark.parametrize("query", ["恽淇丞", "惲淇丞"])
def test_name_in_either_script_finds_all_six(client, seeded, query):
    found = api(client, q=query)["results"]
    assert len(found) == 6
    sources = sorted(row["source"][:3] for row in found)
    assert sources == ["001", "001", "001", "002", "003", "003"]


def test_company_name_finds_only_its_story(client, seeded):
    assert headlines(client, q="摩尔线程") == {MOORE}


def test_city_filter_and_exclusion(client, seeded):
    in_changzhou = api(client, q="半导体", city="常州")["results"]
    assert in_changzhou and {row["city"] for row in in_changzhou} == {"常州"}
    assert MEETING_004 in headlines(client, q="半导体")
    assert MEETING_004 not in headlines(client, q="半导体 -无锡")


def test_exact_phrase(client, seeded):
    assert {LEAD_000, LEAD_001} <= headlines(client, q='"化合物半导体"')


def test_single_character_and_inner_words(client, seeded):
    assert {LEAD_000, WEB_002} <= headlines(client, q="芯")
    assert LEAD_001 in headlines(client, q="力德宝")
    assert LEAD_001 in headlines(client, q="中讯")


def test_date_range_narrows(client, seeded):
    found = headlines(client, q="合成生物", date_from="2024-10-01", date_to="2024-10-31")
    assert CHEN in found and CPPCC not in found
    assert CPPCC in headlines(client, q="合成生物")


def test_html_page_shows_the_same_examples(client, seeded):
    response = client.get(PAGE, {"q": "芯片产业"})
    assert response.status_code == 200
    assert "區領導調研<mark>芯片產業</mark>相關企業" in response.content.decode()
    response = client.get(PAGE, {"q": "半导体", "city": "常州"})
    content = response.content.decode()
    assert "市政府召开" not in content
    assert "城市:常州" in content  # the chip
    assert "<title>“半导体” · 城市:常州 — 5 篇" in content


def test_facets_in_json(client, seeded):
    facets = api(client, q="半导体")["facets"]
    assert set(facets) == {"city", "district", "publication", "year", "kind", "industry", "company", "person", "place"}
    assert {"value": "无锡", "count": 1} in facets["city"]
    changzhou = next(row for row in facets["city"] if row["value"] == "常州")
    assert changzhou["count"] == sum(row["count"] for row in facets["city"]) - 1
    assert [row["value"] for row in facets["year"]] == sorted((row["value"] for row in facets["year"]), reverse=True)


def test_facet_links_filter(client, seeded):
    content = client.get(PAGE, {"q": "半导体"}).content.decode()
    assert 'href="?q=%E5%8D%8A%E5%AF%BC%E4%BD%93&amp;city=%E6%97%A0%E9%94%A1"' in content
    filtered = api(client, q="半导体", city="无锡")
    assert filtered["count"] == 1 and filtered["facets"]["city"] == [{"value": "无锡", "count": 1}]


def test_a_chosen_facet_links_to_its_removal(client, seeded):
    content = client.get(PAGE, {"q": "半导体", "city": "无锡"}).content.decode()
    assert ('<li><a href="?q=%E5%8D%8A%E5%AF%BC%E4%BD%93" class="chosen" title="移除此条件"><span lang="zh-Hans">无锡</span></a> '
            '<span class="count">1 篇文章</span></li>') in content


def test_facet_options_are_escaped():
    html = facet_options([{"query": "q=a&b=<c>", "chosen": False, "label": "<script>x</script>", "count": 3}])
    assert html == ('<li><a href="?q=a&amp;b=&lt;c&gt;">&lt;script&gt;x&lt;/script&gt;</a> '
                    '<span class="count">3 篇文章</span></li>')


def test_sorting(client, seeded):
    newest = [row["date"] for row in api(client, q="恽淇丞", sort="newest")["results"]]
    oldest = [row["date"] for row in api(client, q="恽淇丞", sort="oldest")["results"]]
    assert newest == sorted(newest, reverse=True)
    assert oldest == sorted(oldest)
    assert client.get(API, {"q": "芯", "sort": "random"}).status_code == 400


def test_headline_ranks_first(client, seeded):
    results = api(client, q="摩尔线程 OR 集成电路")["results"]
    assert results[0]["headline"] in {MOORE, MEETING_004}


def test_or_and_fields(client, seeded):
    assert {MOORE, CHEN} <= headlines(client, q="摩尔线程 OR 陈金虎")
    assert headlines(client, q="headline:陈金虎") == {CHEN}
    assert headlines(client, q="byline:惠晓婧") == {MOORE}
    assert len(headlines(client, q="byline:朱梦琪")) == 6


@pytest.mark.parametrize("query", ['"', '"化合物', "(", "芯片)", "*", "*芯*", "AND", "芯 AND", "OR",
                                   "headline:", "byline:", "-", "--芯", "NOT 芯", "芯 OR", "\\", ":::", "🀄"])
def test_malformed_queries_never_error(client, seeded, query):
    assert client.get(API, {"q": query}).status_code == 200
    assert client.get(PAGE, {"q": query}).status_code == 200


def test_overlong_query_is_refused_with_a_message(client, seeded):
    response = client.get(API, {"q": "芯" * 5000})
    assert response.status_code == 400
    assert "关键词过长" in response.json()["error"]
    page = client.get(PAGE, {"q": "芯" * 5000})
    assert page.status_code == 400 and "关键词过长" in page.content.decode()


def test_pasted_sentence_returns_best_matches(client, seeded):
    sentence = "摩尔线程在无锡建立系统级产品研发总部并带动生态企业落户"
    data = api(client, q=sentence)
    assert data["loosened"] is True
    assert data["results"][0]["headline"] == MOORE


def test_loose_match_needs_more_than_one_common_character(client, seeded):
    assert api(client, q="芯片化")["count"] < Article.objects.count()


def test_zero_results_suggest(client, seeded):
    data = api(client, q="芯片组")
    assert data["count"] == 0
    assert "芯片" in data["suggestions"]
    content = client.get(PAGE, {"q": "芯片组"}).content.decode()
    assert "没有找到" in content and 'href="?q=%E8%8A%AF%E7%89%87"' in content


def test_page_out_of_range(client, seeded):
    assert client.get(API, {"q": "芯", "page": 99}).status_code == 404
    page = client.get(PAGE, {"q": "芯", "page": 99})  # the page shows the last page and says so
    assert page.status_code == 200 and page.context["results"].page == page.context["results"].num_pages
    assert "第 99 页不存在" in page.content.decode()


def test_highlights_are_escaped(client, seeded):
    from django.core.management import call_command

    section = make_section()
    article = make_article(section, headline="<script>alert('芯片')</script>",
                           body="<img src=x onerror=alert(1)>芯片<b>产业</b>")
    from search.indexing.outbox import write_articles

    write_articles([article.pk])
    row = next(r for r in api(client, q="芯片")["results"] if r["id"] == article.pk)
    assert row["headline_html"] == "&lt;script&gt;alert(&#x27;<mark>芯片</mark>&#x27;)&lt;/script&gt;"
    assert "&lt;img src=x onerror=alert(1)&gt;<mark>芯片</mark>&lt;b&gt;产业&lt;/b&gt;" in row["snippet_html"]
    content = client.get(PAGE, {"q": "芯片"}).content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content
    call_command("update_index", verbosity=0)


def test_results_page_query_count_is_constant(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(API, {"q": "中讯"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert api(client, q="的")["count"] >= 15
    with django_assert_max_num_queries(4):
        assert client.get(PAGE, {"q": "的"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(PAGE, {"q": "中讯"}).status_code == 200


def test_results_never_read_raw_pages_or_sketches(client, seeded):
    """A hit shows its headline, snippet and publication; the page's raw text (every article
    of the page) and the story sketch are kilobytes per row that nothing on the page shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url, query in ((PAGE, "的"), (API, "的")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": query}).status_code == 200
        article_reads = [q["sql"] for q in queries.captured_queries if 'FROM "archive_article"' in q["sql"]]
        assert article_reads
        assert not any('"raw_text"' in sql or '"story_sketch"' in sql for sql in article_reads)


def test_cached_entity_facets_match_whoosh_counts(client, seeded, django_capture_on_commit_callbacks):
    from whoosh import sorting

    from search.engines.whoosh.compile import compile_query
    from search.indexing.outbox import backend
    from search.service.query import parse_query

    searcher = backend().searcher()
    query = compile_query(parse_query("半导体"))
    for field in ("industry", "company", "person", "place"):
        stock = searcher.search(query, groupedby=sorting.FieldFacet(field, allow_overlap=True, maptype=sorting.Count))
        expected = {key: count for key, count in stock.groups(field).items() if key}
        got = {row["value"]: row["count"] for row in api(client, q="半导体", page_size=50)["facets"][field]}
        assert got == dict(sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:20]), field
    # a change written in a new segment is counted too
    article = Article.objects.get(headline__startswith="摩尔线程")
    from archive.models import ArticleIndustry, Industry

    with django_capture_on_commit_callbacks(execute=True):
        ArticleIndustry.objects.create(article=article, industry=Industry.objects.get(name="低空经济"), source="editor")
    facets = api(client, q="集成电路")["facets"]["industry"]
    assert {"value": "低空经济", "count": 1} in facets


def test_search_on_an_empty_index(client, db):
    data = client.get(API, {"q": "芯片"}).json()
    assert data["count"] == 0 and data["facets"]["company"] == []
