"""CSV export: format=csv on /api/articles/, with and without a search."""
from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from archive.export import BOM, COLUMNS
from archive.models import Article
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

API = reverse("archive:api_article_list")


def export(client, meta: dict | None = None, **params) -> tuple[list[dict[str, str]], object]:
    response = client.get(API, {"format": "csv", **params}, **(meta or {}))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="articles-')
    assert response.streaming  # sent in pieces, never held whole
    raw = b"".join(response.streaming_content)
    assert raw.startswith(BOM.encode("utf-8")) and raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert header == COLUMNS
    rows = [dict(zip(header, row, strict=False)) for row in reader]
    assert int(response["X-Exported-Count"]) == len(rows)
    return rows, response


@pytest.fixture
def corpus() -> dict[str, Article]:
    changzhou = make_publication("常州日报", city="常州")
    wuxi = make_publication("无锡日报", city="无锡")
    cz = make_section(changzhou, issue_date=datetime.date(2024, 5, 10), page_label="A3")
    wx = make_section(wuxi, issue_date=datetime.date(2024, 6, 20))
    return {
        "chip": make_article(cz, headline="芯片产业大会", kicker="引题", bylines=["朱梦琪", "王强"],
                             district="武进区", body="第一段,含“引号”, 逗号。\n第二段。", origin="常州日报社"),
        "formula": make_article(cz, headline="=HYPERLINK(\"http://evil\")", body="+1 行\n-2"),
        "wuxi": make_article(wx, headline="無錫物聯網", script="hant"),
    }


def test_listing_export_has_every_matching_article(client, corpus):
    rows, response = export(client)
    assert [row["headline"] for row in rows][0] == "無錫物聯網"  # newest first
    assert len(rows) == 3 and response["X-Total-Count"] == "3"
    chip = next(row for row in rows if row["id"] == str(corpus["chip"].pk))
    assert chip["bylines"] == "朱梦琪、王强"
    assert chip["body"] == "第一段,含“引号”, 逗号。\n第二段。"
    assert chip["publication"] == "常州日报" and chip["page"] == "A3" and chip["date"] == "2024-05-10"
    assert chip["url"] == f"http://testserver{corpus['chip'].get_absolute_url()}"
    assert chip["origin"] == "常州日报社" and chip["kicker"] == "引题"


def test_filters_and_paging_parameters(client, corpus):
    rows, _ = export(client, city="无锡")
    assert [row["headline"] for row in rows] == ["無錫物聯網"]
    rows, _ = export(client, page_size=1, page=1)  # the export ignores paging
    assert len(rows) == 3


def test_formula_cells_are_neutralised(client, corpus):
    rows, _ = export(client, city="常州")
    formula = next(row for row in rows if row["id"] == str(corpus["formula"].pk))
    assert formula["headline"] == "'=HYPERLINK(\"http://evil\")"
    assert formula["body"] == "'+1 行\n-2"
    assert Article.objects.get(pk=corpus["formula"].pk).headline.startswith("=")


def test_cap(client, corpus, settings):
    settings.ARCHIVE_CSV_MAX_ROWS = 2
    rows, response = export(client)
    assert len(rows) == 2 and response["X-Total-Count"] == "3" and response["X-Exported-Count"] == "2"


def test_default_cap_is_documented_value():
    from archive.export import DEFAULT_MAX_ROWS, max_rows

    assert DEFAULT_MAX_ROWS == 5000 and max_rows() == 5000


def test_search_export_matches_the_search(client, seeded, settings):
    api = client.get(API, {"q": "半导体", "sort": "newest", "page_size": 100}).json()
    rows, response = export(client, q="半导体", sort="newest")
    assert [int(row["id"]) for row in rows] == [row["id"] for row in api["results"]]
    assert response["X-Total-Count"] == str(api["count"])
    rows, _ = export(client, q="半导体", city="无锡")
    assert {row["city"] for row in rows} == {"无锡"}
    settings.ARCHIVE_CSV_MAX_ROWS = 2  # a capped search export says so too
    rows, response = export(client, q="半导体", sort="newest")
    assert [int(row["id"]) for row in rows] == [row["id"] for row in api["results"]][:2]
    assert response["X-Export-Capped"].startswith(f"only the first 2 of {api['count']} matching articles")


def test_search_export_with_day_filter(client, seeded):
    rows, _ = export(client, q="恽淇丞", year=2024, month=10, day=30)
    assert rows and {row["date"] for row in rows} == {"2024-10-30"}


def test_invalid_format_and_params_are_json_400(client, corpus):
    response = client.get(API, {"format": "xlsx"})
    assert response.status_code == 400 and "格式“xlsx”无效" in response.json()["error"]
    response = client.get(API, {"format": "csv", "year": "x"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")


def test_export_query_count_does_not_grow(client, django_assert_max_num_queries):
    section = make_section()
    for _ in range(30):
        make_article(section)
    with django_assert_max_num_queries(3):
        rows, _ = export(client)
    assert len(rows) == 30


def test_list_page_links_the_export(client, corpus):
    html = client.get(reverse("archive:article_list"), {"city": "常州"}).content.decode()
    assert f'{API}?city=%E5%B8%B8%E5%B7%9E&amp;format=csv' in html


def test_the_file_is_streamed_in_chunks_and_a_capped_file_says_so(client, corpus, settings, monkeypatch):
    monkeypatch.setattr("archive.export.CHUNK", 1)
    response = client.get(API, {"format": "csv"})
    assert len(list(response.streaming_content)) == 1 + 3  # header, then one chunk per row
    assert "X-Export-Capped" not in response
    settings.ARCHIVE_CSV_MAX_ROWS = 2
    rows, response = export(client)
    assert len(rows) == 2 and response["X-Export-Capped"] == (
        "only the first 2 of 3 matching articles are in this file (at most 2 per export); "
        "narrow the filters or the search to export the rest")


def test_exports_per_client_are_limited_with_a_message(client, corpus, settings):
    settings.ARCHIVE_CSV_EXPORTS_PER_MINUTE = 2
    for _ in range(2):
        export(client)
    refused = client.get(API, {"format": "csv"})
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"] == (
        f"CSV 导出过于频繁:每个客户端每分钟最多 2 次,请 {refused['Retry-After']} 秒后再试。")
    assert client.get(API, {"page_size": 1}).status_code == 200  # the JSON API is not limited
    export(client, {"REMOTE_ADDR": "10.0.0.7"})  # another client has its own count

    # X-Forwarded-For counts only behind the TLS proxy, and only the address the proxy appended.
    forged = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9"}
    assert client.get(API, {"format": "csv"}, **forged).status_code == 429
    settings.ARCHIVE_TRUST_X_FORWARDED_FOR = True
    export(client, forged)
    forged["HTTP_X_FORWARDED_FOR"] = "10.9.9.8, 10.9.9.9"  # the client's own entry comes first
    export(client, forged)
    assert client.get(API, {"format": "csv"}, **forged).status_code == 429
