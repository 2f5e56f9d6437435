"""The comparison page (/compare/) and its CSV, through the test client: its counts are the
search page's counts for the same query, month and city; bad input is a message on the page."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from archive.export import BOM
from archive.line_charts import line_chart
from archive.models import Article
from search.engines.base import EngineUnavailable
from search.indexing import outbox
from search.models import PendingIndexChange
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

COMPARE = reverse("search:compare")
COMPARE_CSV = reverse("search:compare_csv")
SEARCH = reverse("search:search")


def article(headline: str, body: str, *, city: str, date: dt.date | None, story: str = "",
            publication: str = "") -> Article:
    section = make_section(make_publication(publication or f"{city or '江苏'}日报", city=city or "常州"),
                           issue_date=date or dt.date(2024, 1, 1))
    return make_article(section, headline=headline, body=body, city=city, date=date, story_key=story)


def build_corpus() -> dict[str, Article]:
    """Semiconductor and new-energy-vehicle stories in three cities over three months (written
    for this test), indexed through the outbox as after their commit."""
    found = {
        "chip_cz": article("常州半导体产业园开园", "半导体企业入驻新园区。", city="常州", date=dt.date(2024, 5, 8),
                           story="s-park"),
        "chip_cz_copy": article("常州半导体产业园开园", "半导体企业入驻新园区。", city="常州",
                                date=dt.date(2024, 5, 9), story="s-park", publication="武进日报"),
        "chip_wx": article("无锡半导体封测项目签约", "一家半导体封测企业落户。", city="无锡", date=dt.date(2024, 5, 20)),
        "chip_wx_july": article("无锡举办半导体人才招聘会", "半导体企业提供岗位。", city="无锡", date=dt.date(2024, 7, 2)),
        "chip_undated": article("半导体知识讲座", "讲解半导体基础知识。", city="", date=None),
        "car_cz": article("常州新能源汽车零部件展开幕", "新能源汽车配套企业参展。", city="常州", date=dt.date(2024, 6, 12)),
        "car_nj": article("南京新能源汽车下乡活动", "新能源汽车走进乡镇。", city="南京", date=dt.date(2024, 7, 15)),
        "car_unplaced": article("新能源汽车充电设施建设提速", "新建一批新能源汽车充电桩。", city="",
                                date=dt.date(2024, 7, 30)),
    }
    outbox.write_articles(sorted(item.pk for item in found.values()))
    PendingIndexChange.objects.all().delete()
    return found


@pytest.fixture
def corpus() -> dict[str, Article]:
    return build_corpus()


def page(client, *queries: str, status: int = 200, **params) -> str:
    response = client.get(COMPARE, {"q": list(queries), **params})
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def table(text: str) -> list[list[str]]:
    """The comparison table's body rows as cell texts (links reduced to their text)."""
    body = re.search(r'<table class="data-table compare-table">.*?<tbody>(.*?)</tbody>', text, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


def cell_links(text: str) -> list[tuple[str, int]]:
    """Every linked count in the table: (the search page URL, the count shown)."""
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S).group(1)
    return [(html.unescape(href), int(count)) for href, count in re.findall(r'<a href="([^"]+)">(\d+)</a>', body)]


def search_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    match = re.search(r'data-result-count="(\d+)"', response.content.decode())
    return int(match.group(1)) if match else 0


def test_two_queries_by_month_and_city(client, corpus):
    text = page(client, "半导体", "新能源汽车")
    assert table(text) == [
        ["2024-05", "全部城市", "3", "0"],
        ["2024-05", "常州", "2", "0"],  # both copies of the story: counts are articles
        ["2024-05", "无锡", "1", "0"],
        ["2024-06", "全部城市", "0", "1"],
        ["2024-06", "常州", "0", "1"],
        ["2024-07", "全部城市", "1", "2"],
        ["2024-07", "南京", "0", "1"],
        ["2024-07", "无锡", "1", "0"],
        ["2024-07", "城市不详", "0", "1"],
    ]
    assert 'class="chart-svg line-chart" id="compare-chart"' in text
    assert text.count('<g class="series"') == 2
    assert "共 5 篇匹配文章，其中 1 篇无日期，不在图表中" in text  # the undated 半导体 article


def test_every_count_is_what_the_search_page_says(client, corpus):
    text = page(client, "半导体", "新能源汽车", "充电桩")
    links = cell_links(text)
    assert len(links) >= 8
    for url, count in links:
        query = dict(parse_qsl(urlsplit(url).query))
        assert urlsplit(url).path == SEARCH and query["collapse"] == "0" and "year" in query and "month" in query
        assert search_count(client, url) == count, url
    # The same holds against the JSON API for a month and a city typed by hand.
    api = client.get(reverse("archive:api_article_list"),
                     {"q": "半导体", "year": 2024, "month": 5, "city": "常州", "collapse": "0"}).json()
    assert api["count"] == 2


def test_a_city_and_a_date_range_narrow_every_query(client, corpus):
    text = page(client, "半导体", "新能源汽车", city="无锡", date_from="2024-06-01", date_to="2024-12-31")
    assert table(text) == [["2024-07", "无锡", "1", "0"]]
    totals = re.findall(r'<li><a href="([^"]+)">“[^”]+”</a>\s*共 (\d+) 篇', text)
    assert len(totals) == 2
    for href, count in totals:  # each query's total links the search with the same city and dates
        assert search_count(client, html.unescape(href)) == int(count), href


def test_four_queries_and_synonyms(client, corpus):
    text = page(client, "半导体", "新能源汽车", "充电桩", "电动汽车")
    assert "<th scope=\"col\" class=\"num\">电动汽车</th>" in text
    # 电动汽车 is in the editors' group with 新能源汽车: the page says what was searched too.
    assert "也搜索了：" in text
    assert text.count('<g class="series"') == 4


@pytest.mark.parametrize("params, status, message", [
    ({"q": ["半导体"]}, 200, "请至少填写 2 项再比较（现在有 1 项）。"),
    ({"q": ["", "  "]}, 200, "请至少填写 2 项再比较（现在有 0 项）。"),
    ({"q": ["甲", "乙", "丙", "丁", "戊"]}, 400, "最多比较 4 项，收到了 5 项；请删去多余的。"),
    ({"q": ["半导体", "芯" * 501]}, 400, "第 2 项：关键词过长（501 个字符），最多 500 个字符。"),
    ({"q": ["半导体", "半导体"]}, 400, "第 2 项“半导体”与前面的一项相同。"),
    ({"q": ["半导体", "芯片"], "city": "火星"}, 400, "档案中没有城市“火星”。可选：南京、常州、无锡。"),
    ({"q": ["半导体", "芯片"], "date_from": "2024-13-01"}, 400, "起始日期：日期格式无效"),
    ({"q": ["半导体", "芯片"], "date_from": "2024-06-01", "date_to": "2024-05-01"}, 400, "截止日期不能早于起始日期。"),
])
def test_bad_input_is_a_message_and_keeps_what_was_typed(client, corpus, params, status, message):
    response = client.get(COMPARE, params)
    assert response.status_code == status
    text = response.content.decode()
    assert message in html.unescape(text)
    assert 'class="error-box compare-problems" role="alert"' in text
    assert 'id="compare-chart"' not in text
    for typed in params["q"]:
        if typed.strip():
            assert f'name="q" value="{typed}"' in text
    if "city" in params:
        assert f'<option value="{params["city"]}" selected>' in text
    if params.get("date_from") == "2024-13-01":
        assert 'type="text" name="date_from" value="2024-13-01"' in text


def test_a_first_visit_is_an_empty_form_without_messages(client, corpus):
    text = page(client)
    assert text.count('name="q" value=""') == 4 and "error-box" not in text


def test_the_shared_url_reproduces_the_page(client, corpus):
    text = page(client, "半导体", "", "新能源汽车", city="常州", date_from="2024-01-01")
    shared = html.unescape(re.search(r'<a id="share-url" class="share-url" href="([^"]+)"', text).group(1))
    assert shared.startswith("http://testserver/compare/?")
    assert parse_qsl(urlsplit(shared).query) == [("q", "半导体"), ("q", "新能源汽车"), ("city", "常州"),
                                                  ("date_from", "2024-01-01")]
    again = client.get(shared.removeprefix("http://testserver")).content.decode()
    assert table(again) == table(text) == [["2024-05", "常州", "2", "0"], ["2024-06", "常州", "0", "1"]]


def test_csv_has_the_table_with_a_bom_and_a_filename(client, corpus):
    text = page(client, "半导体", "新能源汽车")
    csv_url = html.unescape(re.search(r'<a class="csv-link" href="([^"]+)"', text).group(1))
    response = client.get(csv_url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = dt.date.today().isoformat()
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + f"compare-%E5%8D%8A%E5%AF%BC%E4%BD%93-"
        f"%E6%96%B0%E8%83%BD%E6%BA%90%E6%B1%BD%E8%BD%A6-{today}.csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["月份", "城市", "半导体", "新能源汽车"]
    assert rows[1:] == table(text)
    assert response["X-Total-Count"] == response["X-Exported-Count"] == str(len(rows) - 1)


def test_csv_is_capped_rate_limited_and_refuses_bad_input(client, corpus, settings):
    settings.ARCHIVE_CSV_MAX_ROWS = 2
    response = client.get(COMPARE_CSV, {"q": ["半导体", "新能源汽车"]})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and response["X-Total-Count"] == "9" and "X-Export-Capped" in response
    response = client.get(COMPARE_CSV, {"q": ["半导体"]})
    assert response.status_code == 400 and "请至少填写 2 项" in response.content.decode()
    settings.ARCHIVE_CSV_EXPORTS_PER_MINUTE = 1
    assert client.get(COMPARE_CSV, {"q": ["半导体", "芯片"]}).status_code == 200
    response = client.get(COMPARE_CSV, {"q": ["半导体", "芯片"]})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "CSV 导出过于频繁" in response.content.decode()


def test_a_formula_looking_query_is_neutralised_in_the_csv(client, corpus):
    response = client.get(COMPARE_CSV, {"q": ["半导体", "=1+1"]})
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert header[3] == "'=1+1"


def test_the_search_page_and_the_navigation_link_here(client, corpus):
    text = client.get(SEARCH, {"q": "半导体"}).content.decode()
    assert f'<a class="compare-link" href="{COMPARE}?q=%E5%8D%8A%E5%AF%BC%E4%BD%93">对比</a>' in text
    assert f'<a href="{COMPARE}">对比</a>' in text
    prefilled = page(client, "半导体")
    assert 'name="q" value="半导体"' in prefilled and prefilled.count('name="q" value=""') == 3


def test_english_page(client, corpus):
    client.cookies["django_language"] = "en"
    text = page(client, "半导体", "新能源汽车")
    assert "<h1>Compare</h1>" in text and "Download CSV" in text and "Download PNG" in text
    assert "All cities" in text and "5 matching articles" in text and "3 matching articles" in text
    assert "1 undated, not in the chart" in text
    text = page(client, "半导体")
    assert "Fill in at least 2 items to compare (there is 1 now)." in html.unescape(text)
    response = client.get(COMPARE_CSV, {"q": ["半导体", "新能源汽车"]})
    assert next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))) == [
        "Month", "City", "半导体", "新能源汽车"]


def test_line_chart_geometry():
    chart = line_chart(["2024-05", "2024-06"], [("甲", [4, 0]), ("一个很长很长很长很长很长的查询", [1, 2])])
    assert [line.total for line in chart.series] == [4, 3]
    assert chart.y_ticks[-1][1] == 5  # the nicest ceiling above the largest count
    assert chart.series[1].short_name == "一个很长很长很长很长很长的…"
    first, second = chart.series
    assert first.points[0].y < second.points[0].y  # 4 is higher than 1
    assert first.dash != second.dash and first.points[0].marker != second.points[0].marker
    assert line_chart(["2024-05"], [("甲", [0]), ("乙", [0])]) is None


def test_over_ten_years_the_periods_are_years(client, corpus):
    old = article("常州半导体研究所成立", "半导体研究所挂牌。", city="常州", date=dt.date(2010, 3, 1))
    outbox.write_articles([old.pk])
    text = page(client, "半导体", "新能源汽车")
    rows = table(text)
    assert [row[0] for row in rows] == ["2010", "2010"] + ["2024"] * 5
    assert rows[2] == ["2024", "全部城市", "4", "3"]
    for url, count in cell_links(text):
        assert "month" not in dict(parse_qsl(urlsplit(url).query))
        assert search_count(client, url) == count, url
    response = client.get(COMPARE_CSV, {"q": ["半导体", "新能源汽车"]})
    assert b"".join(response.streaming_content).decode("utf-8-sig").startswith("年份,城市,")


def test_an_engine_that_cannot_answer_is_a_503_not_a_500(client, corpus, monkeypatch):
    def unreachable(data):
        raise EngineUnavailable("elasticsearch", "the cluster at http://127.0.0.1:9200/ cannot be reached")

    monkeypatch.setattr("search.service.compare.find", unreachable)
    response = client.get(COMPARE, {"q": ["半导体", "新能源汽车"]})
    assert response.status_code == 503 and "cannot be reached" in response.content.decode()
    response = client.get(COMPARE_CSV, {"q": ["半导体", "新能源汽车"]})
    assert response.status_code == 503 and response["Content-Type"].startswith("text/plain")
