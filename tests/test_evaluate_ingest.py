"""evaluate_ingest: pages ingested into a throw-away archive and scored field by field."""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest.evaluation import (
    ExpectationError,
    IngestedArticle,
    IngestedPage,
    load_expected,
    report_lines,
    score,
)
from archive.models import Section


def article(**fields) -> IngestedArticle:
    base = dict(kicker="", headline="常州新能源项目开工", subheadline="", body="项目今天开工,总投资二十亿元,预计明年投产见效。",
                kind="text", city="常州", district="武进区", date="2024-05-06", date_precision="day")
    return IngestedArticle(**{**base, **fields})


def write_expected(path: Path, *pages: dict) -> Path:
    path.write_text(json.dumps({"pages": list(pages)}, ensure_ascii=False), encoding="utf-8")
    return path


EXPECTED = {"file": "a.txt", "url": "https://example.org/a", "language": "zh", "city": "常州", "district": "武进区",
            "publication": "武进日报", "date": "2024-05-06", "date_precision": "day", "headline": "常州新能源项目开工",
            "stories": 1, "furniture": ["责任编辑:某某"]}


class TestScore:
    def test_a_page_read_right_scores_every_field(self, tmp_path):
        expected = load_expected(write_expected(tmp_path / "e.json", EXPECTED))
        scores = score(expected, {"a.txt": IngestedPage("武进日报", "zh", (article(),), issue_date="2024-05-06")})
        assert {name: (s.right, s.total) for name, s in scores.items()} == {
            "language": (1, 1), "city": (1, 1), "district": (1, 1), "publication": (1, 1), "page_date": (1, 1),
            "date": (1, 1), "year": (1, 1), "headline": (1, 1), "furniture": (1, 1), "stubs": (1, 1)}

    def test_each_miss_is_listed_with_what_was_expected_and_got(self, tmp_path):
        expected = load_expected(write_expected(tmp_path / "e.json", EXPECTED))
        wrong = article(city="无锡", headline="首页 > 新闻", body="责任编辑:某某")
        scores = score(expected, {"a.txt": IngestedPage("未知来源", "zh", (wrong,))})
        assert scores["city"].misses == ["a.txt: expected '常州', got '无锡'"]
        assert scores["publication"].right == 0 and scores["headline"].right == 0
        assert scores["furniture"].misses and scores["stubs"].misses

    def test_an_alias_names_the_same_outlet(self, tmp_path):
        expected = load_expected(write_expected(tmp_path / "e.json", {**EXPECTED, "publication": "苏报"}))
        canonical = {"苏报": "苏州日报"}.get
        scores = score(expected, {"a.txt": IngestedPage("苏州日报", "zh", (article(),))},
                       lambda name: canonical(name, name))
        assert scores["publication"].right == 1

    def test_story_date_is_compared_with_the_article_and_page_date_with_the_section(self, tmp_path):
        row = {**EXPECTED, "date": "2024-05-07", "story_date": "2024-05-06"}
        scores = score(load_expected(write_expected(tmp_path / "e.json", row)),
                       {"a.txt": IngestedPage("武进日报", "zh", (article(),), issue_date="2024-05-07")})
        assert (scores["date"].right, scores["page_date"].right) == (1, 1)

    def test_a_headline_with_its_subtitle_counts_as_the_title(self, tmp_path):
        row = {**EXPECTED, "headline": "常州新能源项目开工 总投资二十亿元"}
        got = article(headline="常州新能源项目开工", subheadline="总投资二十亿元")
        scores = score(load_expected(write_expected(tmp_path / "e.json", row)), {"a.txt": IngestedPage("武进日报", "zh", (got,))})
        assert scores["headline"].right == 1

    def test_a_page_without_a_title_expects_a_derived_headline(self, tmp_path):
        row = {**EXPECTED, "headline": None}
        expected = load_expected(write_expected(tmp_path / "e.json", row))
        derived = score(expected, {"a.txt": IngestedPage("武进日报", "zh", (article(headline_derived=True),))})
        as_if_printed = score(expected, {"a.txt": IngestedPage("武进日报", "zh", (article(),))})
        assert (derived["headline"].right, as_if_printed["headline"].right) == (1, 0)

    def test_non_chinese_pages_are_scored_on_language_only(self, tmp_path):
        row = {**EXPECTED, "file": "ja.txt", "language": "ja"}
        scores = score(load_expected(write_expected(tmp_path / "e.json", row)), {"ja.txt": IngestedPage("未知来源", "ja", ())})
        assert scores["language"].right == 1 and scores["city"].total == 0

    def test_a_file_that_failed_is_a_miss_with_its_reason(self, tmp_path):
        expected = load_expected(write_expected(tmp_path / "e.json", EXPECTED))
        scores = score(expected, {"a.txt": IngestedPage("", "", (), error="empty file")})
        assert "empty file" in scores["language"].misses[0]

    def test_report_gives_totals_then_misses(self, tmp_path):
        expected = load_expected(write_expected(tmp_path / "e.json", EXPECTED))
        lines = report_lines(score(expected, {}))
        assert lines[0].split()[:4] == ["language", "0", "/", "1"]
        assert any(line.startswith("MISS language: a.txt") for line in lines)

    @pytest.mark.parametrize("content", ["not json", '{"pages": [{"url": "x"}]}', '{"rows": []}'])
    def test_a_malformed_expectations_file_is_refused_with_a_reason(self, tmp_path, content):
        path = tmp_path / "e.json"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ExpectationError):
            load_expected(path)


PAGE = ("武进区新能源项目集中开工\n\n发布时间:2024-05-06 来源:武进日报\n\n"
        "5月6日,武进区一批新能源项目集中开工,总投资超过五十亿元。武进区负责人表示,将全力做好服务保障。\n\n"
        "责任编辑:王某\n")


@pytest.mark.slow
@pytest.mark.django_db
def test_command_scores_a_folder_in_a_throwaway_archive(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    expected = write_expected(tmp_path / "e.json", {**EXPECTED, "headline": "武进区新能源项目集中开工",
                                                    "furniture": ["责任编辑:王某"]},
                              {**EXPECTED, "file": "b.txt", "city": "无锡"})
    out = StringIO()
    call_command("evaluate_ingest", str(pages), str(expected), "--json", str(tmp_path / "r.json"), stdout=out)
    report = out.getvalue()
    totals = {line.split()[0]: line.split()[1:4] for line in report.splitlines() if not line.startswith("MISS")}
    assert totals["headline"] == totals["city"] == ["1", "/", "2"]
    assert totals["furniture"] == ["2", "/", "2"]  # the page read right dropped its credit line
    assert "MISS headline: b.txt: expected '常州新能源项目开工', got 'not ingested'" in report
    assert "MISS city: b.txt: expected '无锡', got ''" in report
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["city"] == {
        "right": 1, "total": 2, "misses": ["b.txt: expected '无锡', got ''"]}
    assert not Section.objects.exists()  # the archive under test was not touched


@pytest.mark.django_db
def test_command_refuses_a_missing_folder_or_bad_expectations(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("evaluate_ingest", str(tmp_path / "nowhere"), str(tmp_path / "e.json"))
    (tmp_path / "e.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate_ingest", str(tmp_path), str(tmp_path / "e.json"))
