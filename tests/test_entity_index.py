"""The entity index (/entities/): found by name or alias in either script, each with its count of
articles, sorted by mentions or by recency; entity and industry pages leave themselves out of
"often reported with"; timeline colours belong to cities, not to their rank in one chart."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from archive import browse_counts, charts, entity_index
from archive.models import Entity, Industry
from tests.factories import make_article

pytestmark = pytest.mark.django_db

INDEX = reverse("archive:entity_index")


def mention(entity_or_industry, *dates: datetime.date, removed: bool = False) -> None:
    for date in dates:
        entity_or_industry.article_links.create(article=make_article(date=date), removed=removed)


@pytest.fixture
def companies():
    """Three companies: most mentioned, most recent, and one known by a Traditional alias."""
    old = datetime.date(2023, 1, 5)
    busy = Entity.objects.create(kind="company", name="常州星河半导体有限公司", aliases=["星河半导体"])
    mention(busy, old, old, old)
    mention(busy, old, removed=True)  # an editor took this one back: not counted
    fresh = Entity.objects.create(kind="company", name="武进晨光材料有限公司")
    mention(fresh, datetime.date(2025, 3, 1))
    aliased = Entity.objects.create(kind="company", name="中国电子科技集团有限公司", aliases=["中國電科"])
    mention(aliased, old, old)
    return busy, fresh, aliased


def listed(html: str, kind: str = "company") -> list[str]:
    section = BeautifulSoup(html, "html.parser").select_one(f'#entity-results [data-kind="{kind}"]')
    return [link.get_text() for link in section.select("ul.tag-cloud li a")] if section else []


def counts(html: str) -> dict[str, int]:
    soup = BeautifulSoup(html, "html.parser")
    return {item.a.get_text(): int(item.select_one(".count").get_text()) for item in soup.select(".tag-cloud li")
            if item.a}


def test_each_entity_with_its_count_of_articles(client, companies):
    html = client.get(INDEX).content.decode()
    assert counts(html) == {"常州星河半导体有限公司": 3, "武进晨光材料有限公司": 1, "中国电子科技集团有限公司": 2}


def test_sorted_by_mentions_or_by_latest_article(client, companies):
    assert listed(client.get(INDEX).content.decode()) == [
        "常州星河半导体有限公司", "中国电子科技集团有限公司", "武进晨光材料有限公司"]
    recent = client.get(INDEX, {"sort": "recent"}).content.decode()
    assert listed(recent)[0] == "武进晨光材料有限公司"
    assert '<option value="recent" selected>' in recent
    assert listed(client.get(INDEX, {"sort": "nonsense"}).content.decode())[0] == "常州星河半导体有限公司"


@pytest.mark.parametrize("query, found", [
    ("星河半导体", ["常州星河半导体有限公司"]),      # an alias
    ("中国电科", ["中国电子科技集团有限公司"]),       # a Traditional alias, typed in Simplified
    ("電子科技", ["中国电子科技集团有限公司"]),       # the name, typed in Traditional
    ("晨光", ["武进晨光材料有限公司"]),               # part of the name
    ("有限公司", ["常州星河半导体有限公司", "中国电子科技集团有限公司", "武进晨光材料有限公司"]),
    ("没有这家", []),
])
def test_search_by_name_or_alias(client, companies, query, found):
    html = client.get(INDEX, {"q": query}).content.decode()
    assert listed(html) == found
    assert f'data-result-count="{len(found)}"' in html
    assert f'value="{query}"' in html  # the form keeps the query: the page works without JavaScript


def test_search_as_you_type_is_a_static_script(client, companies):
    html = client.get(INDEX).content.decode()
    assert 'data-entity-search' in html and 'id="entity-results"' in html
    assert "<script>" not in html and "onclick" not in html  # the CSP forbids inline code
    script = (Path(settings.BASE_DIR) / "static" / "js" / "site.js").read_text(encoding="utf-8")
    assert "form[data-entity-search]" in script and '"entity-results"' in script


def test_long_kinds_are_cut_and_the_query_finds_the_rest(client):
    for index in range(entity_index.PER_KIND + 2):
        Entity.objects.create(kind="person", name=f"人物{index:03d}").article_links.create(article=make_article())
    html = client.get(INDEX).content.decode()
    assert len(listed(html, "person")) == entity_index.PER_KIND
    assert listed(client.get(INDEX, {"q": "人物061"}).content.decode(), "person") == ["人物061"]


def test_an_industry_page_does_not_list_itself_as_reported_with(client):
    chips = Industry.objects.create(name="测试芯片", keywords="芯片")
    batteries = Industry.objects.create(name="测试电池", keywords="电池")
    for article in (make_article(), make_article()):
        chips.article_links.create(article=article)
        batteries.article_links.create(article=article)
    related = BeautifulSoup(client.get(chips.get_absolute_url()).content, "html.parser").select_one(".side-column")
    names = [link.get_text() for link in related.select("a")]
    assert names == ["测试电池"]


def test_industries_are_in_the_index_with_their_counts(client):
    chips = Industry.objects.create(name="测试芯片", keywords="芯片")
    mention(chips, datetime.date(2024, 1, 1), datetime.date(2024, 2, 1))
    html = client.get(INDEX).content.decode()
    assert listed(html, "industry") == ["测试芯片"] and counts(html)["测试芯片"] == 2


class TestStableCityColours:
    def chart(self, *cities: tuple[str, int]):
        rows = [(datetime.date(2024, 1, 1), city, count) for city, count in cities]
        return charts.bar_chart(browse_counts.timeline(rows))

    def colours(self, chart) -> dict[str, str]:
        return {item.name: item.color for item in chart.legend}

    def test_a_city_keeps_its_colour_whatever_else_the_chart_shows(self):
        first = self.colours(self.chart(("常州", 9), ("无锡", 3)))
        second = self.colours(self.chart(("无锡", 9), ("南京", 5), ("常州", 1)))
        assert first["常州"] == second["常州"] and first["无锡"] == second["无锡"]
        assert len({*first.values(), *second.values()}) == 3

    def test_every_jiangsu_city_has_its_own_colour(self):
        from archive.gazetteer import JIANGSU

        assert len({charts.series_color(city) for city in JIANGSU}) == len(JIANGSU)
        assert charts.series_color("上海") == charts.series_color("上海") in charts.SERIES_PALETTE

    def test_the_search_timeline_colours_by_city(self, client, seeded):
        def legend(query: str) -> dict[str, str]:
            html = client.get(reverse("search:search"), {"q": query}).content.decode()
            return dict((name, colour) for colour, name in re.findall(
                r'<rect width="1" height="1" fill="(#[0-9a-f]{6})"></rect></svg><span lang="zh-Hans">([^<]+)</span>', html))

        semiconductors, meetings = legend("半导体"), legend("会议")
        assert semiconductors["常州"] == meetings["常州"] == charts.series_color("常州")


@pytest.mark.database
def test_counts_and_latest_dates_come_from_one_grouped_read(companies):
    """The raw count over the article date index, on SQLite and on PostgreSQL: removed tags and
    undated articles handled as the ORM would."""
    busy, fresh, aliased = companies
    mention(fresh, None)  # an undated article counts, and leaves the latest date alone
    rows = {row.pk: row for row in entity_index.all_rows()}
    assert (rows[busy.pk].count, rows[busy.pk].latest) == (3, datetime.date(2023, 1, 5))
    assert (rows[fresh.pk].count, rows[fresh.pk].latest) == (2, datetime.date(2025, 3, 1))
    assert rows[aliased.pk].count == 2


def test_the_rows_are_kept_and_an_edit_drops_them(companies, settings, django_assert_num_queries):
    settings.ARCHIVE_ENTITY_INDEX_SECONDS = 300
    busy, fresh, _ = companies
    entity_index.all_rows()
    with django_assert_num_queries(0):
        kept = entity_index.all_rows()
    assert {row.pk: row.count for row in kept}[fresh.pk] == 1
    mention(fresh, datetime.date(2025, 4, 1))  # a tag saved (an editor's, in the admin)
    assert {row.pk: row.count for row in entity_index.all_rows()}[fresh.pk] == 2
