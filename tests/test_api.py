"""The JSON API: shapes, filters, errors and query counts."""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from archive.models import Article
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

LIST_URL = reverse("archive:api_article_list")
LIST_KEYS = {
    "id", "url", "headline", "kicker", "subheadline", "bylines", "kind", "publication", "city",
    "district", "date", "date_precision", "issue_date", "script", "source", "headline_derived",
    "date_year_inferred", "host",
}


def detail_url(pk: int) -> str:
    return reverse("archive:api_article", args=[pk])


@pytest.fixture
def corpus() -> dict[str, Article]:
    changzhou = make_publication("常州日报", city="常州")
    wuxi = make_publication("无锡日报", city="无锡")
    cz = make_section(changzhou, issue_date=datetime.date(2024, 5, 10), source_name="cz_0510_a1.txt")
    cz_old = make_section(changzhou, issue_date=datetime.date(2023, 3, 2))
    wx = make_section(wuxi, issue_date=datetime.date(2024, 6, 20))
    return {
        "chip": make_article(
            cz, headline="芯片产业大会", kicker="引题", subheadline="副题", bylines=["朱梦琪"],
            district="武进区", origin="常州日报社", body="第一段。\n\n第二段。\n第三段。",
        ),
        "photo": make_article(cz, headline="图片新闻", kind=Article.Kind.PHOTO, district="新北区"),
        "old": make_article(cz_old, headline="去年三月", district="武进区"),
        "wuxi": make_article(wx, headline="无锡物联网", district="滨湖区", date=None),
    }


def result_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


class TestList:
    def test_envelope_and_item_shape(self, client, corpus):
        response = client.get(LIST_URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert set(data) == {"count", "page", "num_pages", "results"}
        assert (data["count"], data["page"], data["num_pages"]) == (4, 1, 1)
        assert all(set(item) == LIST_KEYS for item in data["results"])
        chip = next(item for item in data["results"] if item["id"] == corpus["chip"].pk)
        assert chip == {
            "id": corpus["chip"].pk,
            "url": f"/articles/{corpus['chip'].pk}/",
            "headline": "芯片产业大会",
            "headline_derived": False,
            "kicker": "引题",
            "subheadline": "副题",
            "bylines": ["朱梦琪"],
            "kind": "text",
            "publication": "常州日报",
            "city": "常州",
            "district": "武进区",
            "date": "2024-05-10",
            "date_precision": "day",
            "date_year_inferred": False,
            "issue_date": "2024-05-10",
            "host": "",
            "script": "hans",
            "source": "cz_0510_a1.txt",
        }

    def test_null_dates_and_newest_first(self, client, corpus):
        results = client.get(LIST_URL).json()["results"]
        assert [item["headline"] for item in results] == ["芯片产业大会", "图片新闻", "去年三月", "无锡物联网"]
        assert results[-1]["date"] is None

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"city": "无锡"}, {"wuxi"}),
            ({"district": "武进区"}, {"chip", "old"}),
            ({"publication": "常州日报"}, {"chip", "photo", "old"}),
            ({"kind": "photo"}, {"photo"}),
            ({"date_from": "2024-01-01", "date_to": "2024-12-31"}, {"chip", "photo"}),
            ({"date_to": "2024-01-01"}, {"old"}),
            ({"year": "2023"}, {"old"}),
            ({"year": "2024", "month": "5"}, {"chip", "photo"}),
            ({"year": "2024", "month": "6"}, set()),
        ],
    )
    def test_filters(self, client, corpus, params, expected):
        assert result_ids(client.get(LIST_URL, params)) == {corpus[key].pk for key in expected}

    def test_pagination(self, client, corpus):
        data = client.get(LIST_URL, {"page_size": "2", "page": "2"}).json()
        assert (data["count"], data["page"], data["num_pages"]) == (4, 2, 2)
        assert [item["headline"] for item in data["results"]] == ["去年三月", "无锡物联网"]

    def test_default_page_size_from_settings(self, client, corpus, settings):
        settings.ARCHIVE_PAGE_SIZE = 1
        data = client.get(LIST_URL).json()
        assert (len(data["results"]), data["num_pages"]) == (1, 4)

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"date_from": "2024-02-30"}, "date_from", "日期格式无效"),
            ({"date_to": "05/01/2024"}, "date_to", "日期格式无效"),
            ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "date_to", "截止日期不能早于起始日期"),
            ({"kind": "video"}, "kind", "类型“video”无效"),
            ({"page": "0"}, "page", "页码不能小于 1"),
            ({"page": "-3"}, "page", "页码不能小于 1"),
            ({"page_size": "101"}, "page_size", "每页条数不能超过 100"),
            ({"page_size": "0"}, "page_size", "每页条数不能小于 1"),
            ({"year": "3000"}, "year", "年份不能大于 2100"),
            ({"month": "4"}, "month", "必须同时指定年份"),
        ],
    )
    def test_invalid_parameters_are_400_json(self, client, corpus, params, field, message):
        response = client.get(LIST_URL, params)
        assert response.status_code == 400
        data = response.json()
        assert set(data) == {"error", "fields"}
        assert message in data["error"]
        assert list(data["fields"]) == [field]
        assert any(message in text for text in data["fields"][field])

    def test_max_page_size_follows_settings(self, client, corpus, settings):
        settings.ARCHIVE_API_MAX_PAGE_SIZE = 3
        assert client.get(LIST_URL, {"page_size": "3"}).status_code == 200
        response = client.get(LIST_URL, {"page_size": "4"})
        assert response.status_code == 400
        assert response.json()["fields"]["page_size"] == ["每页条数不能超过 3。"]

    def test_page_beyond_last_is_404_json(self, client, corpus):
        response = client.get(LIST_URL, {"page": "2"})
        assert response.status_code == 404
        assert "第 2 页不存在" in response.json()["error"]

    def test_empty_archive_first_page(self, client):
        assert client.get(LIST_URL).json() == {"count": 0, "page": 1, "num_pages": 1, "results": []}

    def test_only_get(self, client):
        assert client.post(LIST_URL).status_code == 405

    @pytest.mark.parametrize("n_articles", [1, 30])
    def test_constant_query_count(self, client, django_assert_max_num_queries, n_articles):
        section = None
        for index in range(n_articles):
            # Spread articles over several publications and sections.
            section = make_section(make_publication()) if index % 3 == 0 else section
            make_article(section)
        with django_assert_max_num_queries(4):
            data = client.get(LIST_URL, {"page_size": "100"}).json()
        assert len(data["results"]) == n_articles


class TestDetail:
    def test_shape_body_and_origin(self, client, corpus):
        response = client.get(detail_url(corpus["chip"].pk))
        assert response.status_code == 200
        data = response.json()
        assert set(data) == LIST_KEYS | {"body", "origin", "companies", "people", "places", "industries", "also_in"}
        assert data["body"] == "第一段。\n第二段。\n第三段。"
        assert data["origin"] == "常州日报社"
        assert data["url"] == corpus["chip"].get_absolute_url()

    def test_detail_matches_list_entry(self, client, corpus):
        listed = client.get(LIST_URL, {"city": "无锡"}).json()["results"][0]
        detail = client.get(detail_url(corpus["wuxi"].pk)).json()
        assert {key: detail[key] for key in LIST_KEYS} == listed

    def test_unknown_id_is_404_json(self, client):
        response = client.get(detail_url(424242))
        assert response.status_code == 404
        assert "424242" in response.json()["error"]

    def test_detail_uses_few_queries(self, client, corpus, django_assert_max_num_queries):
        # the article, its entities, its industries, its other copies
        with django_assert_max_num_queries(4):
            client.get(detail_url(corpus["chip"].pk))


class TestPageFactsInJson:
    """What a reader must know before citing: a headline the paper never printed, a guessed year,
    the site a repost was taken from."""

    def test_derived_headline_inferred_year_and_host(self, client):
        section = make_section(make_publication("苏州日报", city="苏州"), host="某某资讯网")
        article = make_article(section, headline="昨天,昆山一批项目集中签约…", headline_derived=True,
                               date_year_inferred=True)
        data = client.get(f"/api/articles/{article.pk}/").json()
        assert (data["headline_derived"], data["date_year_inferred"], data["host"]) == (True, True, "某某资讯网")

    def test_the_article_page_says_the_headline_is_derived(self, client):
        article = make_article(make_section(), headline="某区一批项目集中签约…", headline_derived=True)
        page = client.get(article.get_absolute_url()).content.decode()
        assert "原文没有标题" in page
        plain = make_article(make_section(), headline="某区一批项目集中签约")
        assert "原文没有标题" not in client.get(plain.get_absolute_url()).content.decode()


def test_the_listing_marks_a_derived_headline(client):
    make_article(make_section(), headline="某区一批项目集中签约…", headline_derived=True)
    make_article(make_section(), headline="某区一批项目集中开工")
    page = client.get(reverse("archive:article_list")).content.decode()
    assert page.count("摘取标题") == 1
