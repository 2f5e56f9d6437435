"""evaluate_search: judged queries scored on pages ingested into a throw-away archive, and
the arithmetic of search/evaluation.py behind its figures."""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Section
from archive.throwaway import evaluation_args, ingest_pages
from search.evaluation import JudgedQuery, JudgmentError, QueryOutcome, RelevanceSummary, load_judgments


def outcome(relevant: str, found: str = "", top: str = "") -> QueryOutcome:
    """A query's outcome from keys written as letters: outcome("ab", found="a", top="ax")."""
    return QueryOutcome(JudgedQuery("q", frozenset(relevant)), frozenset(found), tuple(top))


class TestRelevanceSummary:
    def test_recall_pools_every_judged_page_rather_than_averaging_queries(self):
        summary = RelevanceSummary([outcome("ab", found="a", top="a"), outcome("c", found="c", top="c")])
        assert (summary.relevant_found, summary.relevant_total) == (2, 3)
        assert summary.recall == pytest.approx(2 / 3)  # a mean of 1/2 and 1/1 would be 0.75

    def test_precision_is_the_share_of_relevant_rows_averaged_over_queries(self):
        summary = RelevanceSummary([outcome("a", found="ax", top="ax"), outcome("b", found="b", top="b")])
        assert summary.outcomes[0].precision == 0.5 and summary.outcomes[0].wrong_in_top == ("x",)
        assert summary.precision_at_10 == 0.75

    def test_a_query_that_returned_nothing_counts_zero_when_it_had_relevant_pages(self):
        summary = RelevanceSummary([outcome("a"), outcome("b", found="b", top="b")])
        assert summary.outcomes[0].precision is None
        assert summary.precision_at_10 == 0.5 and summary.recall == 0.5

    def test_a_query_with_nothing_relevant_and_nothing_returned_is_left_out_of_precision(self):
        summary = RelevanceSummary([outcome(""), outcome("b", found="b", top="b")])
        assert summary.precision_at_10 == 1.0

    def test_no_queries_score_full_marks_rather_than_dividing_by_zero(self):
        assert (RelevanceSummary().recall, RelevanceSummary().precision_at_10) == (1.0, 1.0)

    def test_report_gives_figures_then_misses_and_wrong_rows(self):
        summary = RelevanceSummary([QueryOutcome(JudgedQuery("芯片", frozenset({"u1", "u2"})), frozenset({"u1", "u3"}),
                                                 ("u3", "u1"))])
        assert summary.report_lines() == ["queries      1", "recall       1/2 (50.0%)", "precision@10  50.0%",
                                          "MISSED  芯片: u2", "WRONG   芯片: u3"]
        assert summary.report_lines(show_misses=False) == summary.report_lines()[:3]


class TestLoadJudgments:
    def test_a_list_of_judged_queries_is_read(self, tmp_path):
        path = tmp_path / "j.json"
        path.write_text(json.dumps([{"query": "光伏", "relevant": ["u1", "u1", "u2"], "why": "solar"},
                                    {"query": "盐城", "relevant": []}], ensure_ascii=False), encoding="utf-8")
        assert load_judgments(path) == [JudgedQuery("光伏", frozenset({"u1", "u2"}), "solar"),
                                        JudgedQuery("盐城", frozenset(), "")]

    @pytest.mark.parametrize("content, message", [
        ("[{", "Expecting"), ('{"query": "x"}', "expected a list"), ('["x"]', "entry 1 needs"),
        ('[{"query": "x", "relevant": []}, {"query": "y"}]', "entry 2 needs"),
        ('[{"query": 1, "relevant": []}]', "entry 1 needs"),
    ])
    def test_a_malformed_file_is_refused_with_a_reason(self, tmp_path, content, message):
        path = tmp_path / "j.json"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(JudgmentError, match=message):
            load_judgments(path)

    def test_a_missing_or_undecodable_file_is_refused(self, tmp_path):
        with pytest.raises(JudgmentError, match="j.json"):
            load_judgments(tmp_path / "j.json")
        (tmp_path / "gbk.json").write_bytes('[{"query": "芯片"}]'.encode("gbk"))
        with pytest.raises(JudgmentError, match="gbk.json"):
            load_judgments(tmp_path / "gbk.json")


class TestThrowaway:
    def test_the_child_gets_absolute_paths_and_the_shared_options(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert evaluation_args(["pages", "e.json"], {"json_out": "out.json", "no_misses": True}) == [
            str(tmp_path / "pages"), str(tmp_path / "e.json"), "--json", str(tmp_path / "out.json"), "--no-misses"]
        assert evaluation_args(["pages"], {"json_out": None, "no_misses": False}) == [str(tmp_path / "pages")]

    def test_pages_are_never_ingested_into_the_archive_being_run(self, tmp_path):
        with pytest.raises(RuntimeError, match="throw-away"):
            ingest_pages(tmp_path)


# -- the command, on four small pages written for these tests ------------------------------------

PAGES = {
    "a.txt": "金坛动力电池项目签约\n\n发布时间:2024-03-08 来源:示例日报\n\n"
             "3月8日,金坛区与一家电池企业签约,建设动力电池生产线,计划总投资四十亿元,预计两年后投产。\n\n"
             "区里表示将做好用地和人才保障,推动项目尽快开工建设。\n",
    "b.txt": "无锡新建集成电路封装测试基地\n\n发布时间:2024-04-10 来源:示例晚报\n\n"
             "无锡高新区近日迎来一个集成电路封装测试项目,主要为本地芯片设计企业提供配套服务,总投资十五亿元。\n\n"
             "园区负责人介绍,项目建成后将补齐产业链中的测试环节。\n",
    "c.txt": "如东海上风电场完成吊装\n\n发布时间:2024-05-12 来源:示例时报\n\n"
             "如东县沿海一座海上风电场近日完成全部风机吊装,装机容量三十万千瓦,年底前将全部并网发电。\n\n"
             "当地还在规划配套的运维码头和装备产业园。\n",
    "d.txt": "常州举办人才交流会\n\n发布时间:2024-06-15 来源:示例日报\n\n"
             "常州市日前举办一场人才交流会,来自无锡、苏州等地的三百多家企业参加,提供岗位四千多个。\n\n"
             "主办方表示,今后每季度举办一次。\n",
    "f.txt": "",  # fails to ingest
}
URL = {name: f"https://example.org/{name[0]}" for name in [*PAGES, "e.txt"]}  # e.txt is not in the folder
JUDGMENTS = [
    {"query": "海上风电", "relevant": [URL["c.txt"]], "why": "the wind farm page"},
    {"query": "集成电路", "relevant": [URL["b.txt"]], "why": "the packaging base"},
    {"query": "动力电池", "relevant": [URL["a.txt"], URL["c.txt"]], "why": "c cannot be found by these words"},
    {"query": "无锡", "relevant": [URL["b.txt"]], "why": "d mentions the city only in passing"},
]


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / name).write_text(text, encoding="utf-8")
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"pages": [{"file": name, "url": url} for name, url in URL.items()]}),
                        encoding="utf-8")
    judgments = tmp_path / "judgments.json"
    judgments.write_text(json.dumps(JUDGMENTS, ensure_ascii=False), encoding="utf-8")
    return pages, expected, judgments


def evaluate(*args: object) -> list[str]:
    out = StringIO()
    call_command("evaluate_search", *map(str, args), stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.slow
@pytest.mark.django_db
def test_command_scores_judged_queries_in_a_throwaway_archive(inputs, tmp_path):
    lines = evaluate(*inputs, "--json", tmp_path / "report.json")
    assert lines[:4] == ["pages        4/6 ingested", "NOT INGESTED e.txt: not found in the folder",
                         lines[2], "queries      4"]
    assert lines[2].startswith("NOT INGESTED f.txt: ")
    # Found: c, b, a and b of the five judged pages; 无锡 also shows d, so its precision is 1/2.
    assert lines[4:] == ["recall       4/5 (80.0%)", "precision@10  87.5%",
                         "MISSED  动力电池: https://example.org/c", "WRONG   无锡: https://example.org/d"]
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8")) == {
        "queries": 4, "recall": {"found": 4, "total": 5, "ratio": 0.8}, "precision_at_10": 0.875,
        "misses": [{"query": "动力电池", "missed": ["https://example.org/c"], "wrong_in_top": [], "precision": 1.0},
                   {"query": "无锡", "missed": [], "wrong_in_top": ["https://example.org/d"], "precision": 0.5}]}
    assert not Section.objects.exists()  # the archive under test was not touched


@pytest.mark.slow
@pytest.mark.django_db
def test_no_misses_prints_the_figures_only(inputs):
    assert evaluate(*inputs, "--no-misses") == [
        "pages        4/6 ingested", "queries      4", "recall       4/5 (80.0%)", "precision@10  87.5%"]


@pytest.mark.django_db
@pytest.mark.parametrize("broken, content, message", [
    ("expected", "{", "cannot read"),
    ("expected", '{"rows": []}', "is not a list of expected pages"),
    ("judgments", "[{", "cannot read the judgments"),
    ("judgments", '{"query": "芯片"}', "expected a list of judged queries"),
    ("judgments", '[{"query": "芯片", "relevant": "https://example.org/a"}]', "entry 1 needs"),
    ("judgments", '[{"query": "芯片", "relevant": ["https://example.org/zzz"]}]',
     "1 relevant URL\\(s\\) are not in .*expected.json: https://example.org/zzz \\(query '芯片'\\)"),
])
def test_bad_input_is_refused_with_a_message(inputs, broken, content, message):
    pages, expected, judgments = inputs
    {"expected": expected, "judgments": judgments}[broken].write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        evaluate(pages, expected, judgments)


@pytest.mark.django_db
def test_missing_inputs_are_refused_with_a_message(inputs, tmp_path):
    pages, expected, judgments = inputs
    with pytest.raises(CommandError, match="not a folder"):
        evaluate(tmp_path / "nowhere", expected, judgments)
    with pytest.raises(CommandError, match="cannot read .*missing.json"):
        evaluate(pages, tmp_path / "missing.json", judgments)
    with pytest.raises(CommandError, match="cannot read the judgments: .*missing.json"):
        evaluate(pages, expected, tmp_path / "missing.json")
    with pytest.raises(CommandError, match="its folder does not exist"):
        evaluate(pages, expected, judgments, "--json", tmp_path / "no" / "report.json")
