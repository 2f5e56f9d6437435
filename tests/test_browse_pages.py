"""Browsing: the home timeline, places (city → district), dates (year → month →
day calendars) and publications (publication → issue → page), through URLs."""
from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from archive import browse_counts, charts
from archive.models import Article, DatePrecision
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

LIST_URL = reverse("archive:article_list")
EVIL = "<script>alert(1)</script>"


def listed(client, query: str) -> set[str]:
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    return {article.headline for article in response.context["page_obj"].object_list}


@pytest.fixture
def corpus() -> dict[str, Article]:
    changzhou = make_publication("常州日报", city="常州", district="武进区")
    wuxi = make_publication("无锡日报", city="无锡")
    cz_a1 = make_section(changzhou, issue_date=datetime.date(2024, 5, 10), page_label="A1")
    cz_a10 = make_section(changzhou, issue_date=datetime.date(2024, 5, 10), page_label="A10")
    cz_a2 = make_section(changzhou, issue_date=datetime.date(2024, 5, 10), page_label="A2")
    cz_june = make_section(changzhou, issue_date=datetime.date(2024, 6, 1), page_label="A1")
    wx = make_section(wuxi, issue_date=datetime.date(2023, 3, 2), page_label="")
    undated = make_section(wuxi, issue_date=None, issue_date_precision=DatePrecision.UNKNOWN, page_label="")
    return {
        "first": make_article(cz_a1, headline="头版头条", district="武进区", date=datetime.date(2024, 5, 9)),
        "second": make_article(cz_a1, headline="头版二条", district="武进区", date=datetime.date(2024, 5, 9)),
        "a10": make_article(cz_a10, headline="第十版文章", district="新北区", date=datetime.date(2024, 5, 10)),
        "a2": make_article(cz_a2, headline="第二版文章", district="", date=datetime.date(2024, 5, 10)),
        "month_only": make_article(cz_june, headline="只知月份", date=datetime.date(2024, 6, 1),
                                   date_precision=DatePrecision.MONTH),
        "year_only": make_article(cz_june, headline="只知年份", date=datetime.date(2024, 1, 1),
                                  date_precision=DatePrecision.YEAR),
        "wuxi": make_article(wx, headline="无锡旧闻", date=datetime.date(2023, 3, 2)),
        "undated": make_article(undated, headline="日期不详的文章", date=None,
                                date_precision=DatePrecision.UNKNOWN, city=""),
    }


class TestHome:
    def test_timeline_of_articles_per_month(self, client, corpus):
        response = client.get(reverse("archive:home"))
        html = response.content.decode()
        chart = response.context["timeline"]
        labels = [period.label for period in chart.periods]
        # Every month from the first to the last, empty ones included.
        assert labels[0] == "2023-03" and labels[-1] == "2024-06" and len(labels) == 16
        counts = {period.label: period.total for period in chart.periods}
        assert counts["2024-05"] == 4 and counts["2024-06"] == 1 and counts["2023-04"] == 0
        assert counts["2024-01"] == 0  # a year-precision date belongs to no month
        assert "<svg" in html and 'class="chart-bar"' in html
        assert f'href="{LIST_URL}?year=2024&amp;month=5"' in html
        # Links to the ways of browsing.
        for name in ("browse_places", "browse_dates", "browse_publications"):
            assert reverse(f"archive:{name}") in html

    def test_empty_archive_has_no_chart(self, client):
        response = client.get(reverse("archive:home"))
        assert response.status_code == 200 and response.context["timeline"] is None


class TestPlaces:
    def test_cities_with_districts_and_counts(self, client, corpus):
        response = client.get(reverse("archive:browse_places"))
        assert response.status_code == 200
        cities = {city.name: city for city in response.context["cities"]}
        assert cities["常州"].count == 6 and cities["无锡"].count == 1
        assert [(d.name, d.count) for d in cities["常州"].children] == [("武进区", 2), ("新北区", 1)]
        assert response.context["unplaced"] == 1
        html = response.content.decode()
        assert "city=%E5%B8%B8%E5%B7%9E&amp;district=%E6%AD%A6%E8%BF%9B%E5%8C%BA" in html

    def test_district_link_lists_exactly_its_articles(self, client, corpus):
        district = browse_counts.place_tree()[0].children[0]
        assert listed(client, district.query) == {"头版头条", "头版二条"}


class TestDates:
    def test_years_with_month_counts(self, client, corpus):
        response = client.get(reverse("archive:browse_dates"))
        assert response.status_code == 200
        years = {row.year: row for row in response.context["years"]}
        assert years[2024].count == 6 and years[2023].count == 1
        assert {(m.month, m.count) for m in years[2024].months} == {(5, 4), (6, 1)}
        assert response.context["undated"] == 1
        assert reverse("archive:browse_month", args=[2024, 5]) in response.content.decode()

    def test_year_calendar_counts_days_and_months(self, client, corpus):
        response = client.get(reverse("archive:browse_year", args=[2024]))
        assert response.status_code == 200
        calendars = response.context["calendars"]
        assert len(calendars) == 12
        may = calendars[4]
        days = {day.date.day: day.count for week in may.weeks for day in week if day}
        assert days[9] == 2 and days[10] == 2 and days[11] == 0
        june = calendars[5]
        assert june.count == 1 and june.month_only == 1  # dated to the month only: on no day
        assert response.context["year_only"] == 1
        # Weeks start on Monday: 2024-05-01 was a Wednesday.
        assert may.weeks[0][:2] == [None, None] and may.weeks[0][2].date == datetime.date(2024, 5, 1)
        assert response.context["weekdays"][0] == "一"

    def test_month_calendar_links_to_day_listing(self, client, corpus):
        response = client.get(reverse("archive:browse_month", args=[2024, 5]))
        assert response.status_code == 200
        html = response.content.decode()
        assert f"{LIST_URL}?year=2024&amp;month=5&amp;day=9" in html
        assert listed(client, "year=2024&month=5&day=9") == {"头版头条", "头版二条"}
        assert response.context["previous"] == (2024, 4) and response.context["next"] == (2024, 6)

    def test_day_filter_excludes_month_precision_dates(self, client, corpus):
        assert listed(client, "year=2024&month=6") == {"只知月份"}
        assert listed(client, "year=2024&month=6&day=1") == set()

    @pytest.mark.parametrize(("params", "message"), [
        ("day=5", "按日筛选时必须同时指定年份和月份"),
        ("year=2024&day=5", "按日筛选时必须同时指定年份和月份"),
        ("year=2023&month=2&day=29", "2023年2月没有29日"),
        ("year=2024&month=2&day=32", "日不能大于 31"),
    ])
    def test_invalid_day_is_400(self, client, corpus, params, message):
        response = client.get(f"{LIST_URL}?{params}")
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_day_chip_is_removed_with_its_month(self, client, corpus):
        response = client.get(LIST_URL, {"year": 2024, "month": 5, "day": 9})
        chips = {chip.label: chip for chip in response.context["chips"]}
        assert chips["日"].value == "9日"
        assert chips["月份"].remove_query == "year=2024"
        assert chips["日"].remove_query == "year=2024&month=5"

    @pytest.mark.parametrize("url", ["/browse/dates/1999/", "/browse/dates/2024/13/", "/browse/dates/3000/1/"])
    def test_pages_without_articles_are_404(self, client, corpus, url):
        assert client.get(url).status_code == 404


class TestPublications:
    def test_publication_list(self, client, corpus):
        response = client.get(reverse("archive:browse_publications"))
        rows = {p.name: p for p in response.context["publications"]}
        assert rows["常州日报"].n_articles == 6 and rows["常州日报"].n_pages == 4
        assert rows["常州日报"].first_issue == datetime.date(2024, 5, 10)
        assert rows["无锡日报"].n_articles == 2

    def test_issues_of_a_publication(self, client, corpus):
        publication = corpus["first"].section.publication
        response = client.get(reverse("archive:browse_publication", args=[publication.pk]))
        issues = response.context["issues"]
        assert [(i.date, i.pages, i.articles) for i in issues] == [
            (datetime.date(2024, 6, 1), 1, 2), (datetime.date(2024, 5, 10), 3, 4)]
        assert reverse("archive:browse_issue", args=[publication.pk, "2024-05-10"]) in response.content.decode()

    def test_issue_lists_pages_in_page_order_with_articles_in_order(self, client, corpus):
        publication = corpus["first"].section.publication
        response = client.get(reverse("archive:browse_issue", args=[publication.pk, "2024-05-10"]))
        assert response.status_code == 200
        assert [page.page_label for page in response.context["pages"]] == ["A1", "A2", "A10"]
        html = response.content.decode()
        assert html.index("头版头条") < html.index("头版二条") < html.index("第二版文章") < html.index("第十版文章")

    def test_undated_issue_and_bad_slugs(self, client, corpus):
        wuxi = corpus["undated"].section.publication
        response = client.get(reverse("archive:browse_issue", args=[wuxi.pk, "undated"]))
        assert response.status_code == 200 and "日期不详的文章" in response.content.decode()
        assert client.get(reverse("archive:browse_issue", args=[wuxi.pk, "2024-02-30"])).status_code == 404
        assert client.get(reverse("archive:browse_issue", args=[wuxi.pk, "1999-01-01"])).status_code == 404
        assert client.get(reverse("archive:browse_publication", args=[999999])).status_code == 404

    def test_page_shows_articles_in_page_order(self, client, corpus):
        section = corpus["first"].section
        make_article(section, headline="头版三条", position=3)
        response = client.get(reverse("archive:browse_page", args=[section.pk]))
        assert [a.headline for a in response.context["articles"]] == ["头版头条", "头版二条", "头版三条"]
        assert reverse("archive:browse_issue", args=[section.publication.pk, "2024-05-10"]) in response.content.decode()


def test_untrusted_text_is_escaped_on_browse_pages(client):
    publication = make_publication(f"报{EVIL}", city=f"城{EVIL}", district=f"区{EVIL}")
    section = make_section(publication, page_label=f"A{EVIL}", raw_text=EVIL)
    make_article(section, headline=EVIL, kicker=EVIL, subheadline=EVIL, body=EVIL, district=f"区{EVIL}")
    urls = [
        reverse("archive:home"), reverse("archive:browse_places"), reverse("archive:browse_dates"),
        reverse("archive:browse_year", args=[2024]), reverse("archive:browse_month", args=[2024, 5]),
        reverse("archive:browse_publications"), reverse("archive:browse_publication", args=[publication.pk]),
        reverse("archive:browse_issue", args=[publication.pk, "2024-05-01"]),
        reverse("archive:browse_page", args=[section.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in response.content.decode(), url


class TestTimelineLogic:
    def test_gaps_are_filled_and_series_kept(self):
        rows = [(datetime.date(2024, 11, 5), "常州", 2), (datetime.date(2025, 1, 9), "无锡", 1),
                (datetime.date(2025, 1, 1), "常州", 3)]
        periods = browse_counts.timeline(rows, base={"q": "芯片", "page": 3, "month": 2, "year": 2020})
        assert [p.label for p in periods] == ["2024-11", "2024-12", "2025-01"]
        assert periods[2].counts == {"无锡": 1, "常州": 3}
        assert periods[0].query == "q=%E8%8A%AF%E7%89%87&year=2024&month=11"

    def test_long_spans_become_years(self):
        rows = [(datetime.date(2000, 1, 1), "", 1), (datetime.date(2024, 6, 1), "", 2)]
        periods = browse_counts.timeline(rows)
        assert len(periods) == 25 and periods[0].label == "2000" and periods[-1].query == "year=2024"

    def test_bar_geometry(self):
        rows = [(datetime.date(2024, 1, 1), "常州", 4), (datetime.date(2024, 2, 1), "常州", 1),
                (datetime.date(2024, 2, 1), "无锡", 1)]
        chart = charts.bar_chart(browse_counts.timeline(rows))
        assert charts.nice_ceiling(4) == 5 and charts.nice_ceiling(11) == 20 and charts.nice_ceiling(0) == 1
        plot_height = charts.HEIGHT - charts.PAD_TOP - charts.PAD_BOTTOM
        january = [s for s in chart.segments if s.query.endswith("month=1")]
        assert len(january) == 1 and january[0].height == pytest.approx(plot_height * 4 / 5, abs=0.01)
        february = [s for s in chart.segments if s.query.endswith("month=2")]
        assert len(february) == 2 and february[0].y + february[0].height == pytest.approx(chart.baseline)
        assert [item.name for item in chart.legend] == ["常州", "无锡"]
        assert charts.bar_chart([]) is None

    def test_bars_are_escaped_links_with_unlocalised_numbers(self, settings):
        settings.USE_THOUSAND_SEPARATOR = True
        rows = [(datetime.date(2024, 1, 1), "<b>常州</b>", 1234)]
        chart = charts.bar_chart(browse_counts.timeline(rows, base={"q": "A&B"}))
        html = render_to_string("_chart.html", {"chart": chart, "base": "/search/", "label": "x"})
        bar = chart.segments[0]
        assert f'<a href="/search/?q=A%26B&amp;year=2024&amp;month=1" aria-label="{escape(bar.title)}">' in html
        assert f'<rect class="chart-bar" x="{bar.x}"' in html
        assert f'height="{bar.height}"' in html and "," not in f"{bar.x}{bar.height}"
        assert "&lt;b&gt;常州&lt;/b&gt; 1234 篇</title>" in html and "<b>" not in html

    def test_a_phone_shows_at_most_four_x_labels_and_no_zero(self):
        rows = [(datetime.date(2022 + i // 12, i % 12 + 1, 1), "常州", 1) for i in range(24)]
        chart = charts.bar_chart(browse_counts.timeline(rows))
        assert len(chart.x_labels) == charts.MAX_X_LABELS
        assert [label.text for label in chart.x_labels if not label.wide_only] == ["2022-01", "2022-07", "2023-01", "2023-07"]
        html = render_to_string("_chart.html", {"chart": chart, "base": "/articles/", "label": "x"})
        assert html.count('class="tick x-tick wide-only"') == 4
        assert '<svg class="chart-svg"' in html and 'role="group" aria-label="x"' in html and 'role="img"' not in html

    def test_many_series_fold_into_other(self):
        rows = [(datetime.date(2024, 1, 1), f"城{i}", i + 1) for i in range(10)]
        chart = charts.bar_chart(browse_counts.timeline(rows))
        assert len(chart.legend) == len(charts.PALETTE)
        assert chart.legend[-1].name == "其他" and chart.legend[-1].total == 1 + 2 + 3 + 4


@pytest.mark.parametrize("precision, expected", [
    ("day", "2024年4月9日"), ("month", "2024年4月"), ("year", "2024年"), ("unknown", "2024年4月9日（精度未知）"),
])
def test_dates_are_shown_as_precisely_as_known(precision, expected):
    from archive.templatetags.archive_tags import precise_date

    assert precise_date(datetime.date(2024, 4, 9), precision) == expected


def test_missing_dates_and_english_dates():
    from django.utils import translation

    from archive.templatetags.archive_tags import precise_date

    assert precise_date(None, "day") == "日期不详"
    with translation.override("en"):
        assert precise_date(datetime.date(2024, 4, 9), "day") == "9 April 2024"
        assert precise_date(datetime.date(2024, 4, 9), "month") == "April 2024"
        assert precise_date(datetime.date(2024, 4, 9), "unknown") == "9 April 2024 (precision unknown)"
        assert precise_date(None, "year") == "Date unknown"
