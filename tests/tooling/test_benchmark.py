"""manage.py benchmark on a tiny corpus: the report has every figure, and the figures are sane.
Nothing is timed here (no assertion on speed): the real runs are made by hand (docs/performance.md)."""
from __future__ import annotations

import json
import math

import pytest

from search.tooling.corpus import generate_corpus
from search.tooling.figures import percentile
from search.tooling.querymix import CATEGORIES, query_mix
from tests.subprocess_helpers import bench_manage

SYSTEM_KEYS = ("articles", "ingest", "search_html", "search_api", "sql_queries_per_page", "rss_mb", "index_mb")


def test_query_mix_is_fixed_and_covers_every_kind_of_query():
    mix = query_mix()
    assert len(mix) >= 200
    assert mix == query_mix()
    assert {query["category"] for query in mix} == set(CATEGORIES)
    assert [query["category"] for query in query_mix(len(CATEGORIES))] == list(CATEGORIES)
    by_category = {name: [q for q in mix if q["category"] == name] for name in CATEGORIES}
    query_words = {q["q"] for q in by_category["common"] + by_category["rare"]}
    assert all(len(q["q"]) == 1 for q in by_category["single_char"])
    assert all(q["q"].startswith('"') and q["q"].endswith('"') for q in by_category["phrase"])
    assert all(len(q["q"].split()) == 2 for q in by_category["two_words"])
    assert all(len(q["q"].split()) == 3 for q in by_category["three_words"])
    assert all(q.get("city") for q in by_category["city"])
    assert all(q.get("sort") in ("newest", "oldest") for q in by_category["sorted"])
    assert any(q["q"] == "半導體" for q in by_category["traditional"])
    assert all(len(q["q"]) >= 3 and q["q"] not in query_words for q in by_category["typo"])
    assert any(q["q"] == "bandaoti" for q in by_category["pinyin"])


def test_percentile_is_nearest_rank():
    values = list(range(1, 201))
    assert percentile(values, 50) == 100
    assert percentile(values, 95) == 190
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


@pytest.mark.slow
def test_tiny_benchmark_run_reports_every_figure(tmp_path):
    report_path = tmp_path / "report.json"
    result = bench_manage(
        ["benchmark", "--articles", "200", "--baseline-articles", "50", "--queries", "18",
         "--json", str(report_path), "--workdir", str(tmp_path)],
        tmp_path / "data", timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HTML page p50 (ms)" in result.stdout and "baseline" in result.stdout
    report = json.loads(report_path.read_text(encoding="utf-8"))

    for system, articles in ((report, 200), (report["baseline"], 50)):
        for key in SYSTEM_KEYS:
            assert key in system, key
        assert system["articles"] == articles == system["index_documents"]
        assert system["ingest"]["mb_per_s"] > 0 and system["ingest"]["articles_per_s"] > 0
        assert system["ingest"]["articles_per_s"] == pytest.approx(articles / system["ingest"]["seconds"], rel=0.01)
        for page in ("search_html", "search_api"):
            assert system[page]["queries"] == 18
            assert 0 < system[page]["p50_ms"] <= system[page]["p95_ms"] < 60_000
        assert system["rss_mb"]["ingest"] > 50 and system["rss_mb"]["query"] > 50
        assert system["index_mb"] > 0
    assert 1 <= report["sql_queries_per_page"] <= 5  # hits and facets come from the index
    assert report["zero_hit_queries"] < 18
    assert set(report["ratios"]) >= {"ingest_mb_per_s", "ingest_articles_per_s", "search_html_p50", "search_html_p95"}
    assert all(value > 0 for value in report["ratios"].values() if value is not None)
    assert report["method"]["baseline"].startswith("archive.settings.baseline")
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("archive-bench-")] == []  # cleaned up


@pytest.mark.database
def test_edits_during_a_bulk_ingest_are_all_found(tmp_path):
    """`bench_edits`: every edit made while a bulk ingest (staged index batches of 60) runs is
    searchable; the report counts them (no timing is asserted)."""
    corpus = tmp_path / "corpus"
    generate_corpus(400, corpus, seed=3)
    report_path = tmp_path / "edits.json"
    result = bench_manage(
        ["bench_edits", "--corpus", str(corpus), "--head-files", "5", "--interval", "0.3",
         "--json", str(report_path)],
        tmp_path / "data", timeout=600, ARCHIVE_INDEX_BATCH="60",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["edits"] >= 1 and report["found"] == report["edits"]
    assert report["not_found_within_s"]["count"] == 0
    assert 0 < report["latency_ms"]["p50_ms"] <= report["latency_ms"]["p95_ms"]
    again = bench_manage(["bench_edits", "--corpus", str(corpus)], tmp_path / "data", timeout=120)
    assert again.returncode != 0 and "already holds articles" in again.stderr


def test_edits_refused_by_the_api_are_an_error_not_lost_edits(tmp_path):
    """With production settings whose hosts leave out the test client's, every poll is refused:
    the command says so and stops its bulk ingest, instead of reporting edits never found."""
    corpus = tmp_path / "corpus"
    generate_corpus(60, corpus, seed=3)
    result = bench_manage(["bench_edits", "--corpus", str(corpus), "--head-files", "5"], tmp_path / "data", timeout=300,
                          DJANGO_DEBUG="0", DJANGO_SECRET_KEY="edits-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
                          DJANGO_ALLOWED_HOSTS="archive.example.org")
    assert result.returncode != 0
    assert "answered HTTP 400" in result.stderr and "DJANGO_ALLOWED_HOSTS" in result.stderr
