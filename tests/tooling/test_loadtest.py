"""manage.py loadtest: the request mix, wrk's report parsed, and a short real run under gunicorn.
Nothing is timed (the real 60-second runs are made by hand: docs/performance.md)."""
from __future__ import annotations

import json
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from search.tooling.loadtest import lua_script, parse_wrk, request_paths
from tests.subprocess_helpers import bench_manage, manage, migrated_data_dir

WRK_OUTPUT = """Running 1m test @ http://127.0.0.1:8000
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.12ms   60.01ms   1.20s    70.00%
    Req/Sec   140.00     20.00   200.00     70.00%
  Latency Distribution
     50%  170.50ms
     75%  210.00ms
     90%  260.25ms
     99%    1.02s
  16789 requests in 1.00m, 500.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    279.81
Transfer/sec:      8.33MB
"""


def test_wrk_report_is_parsed():
    report = parse_wrk(WRK_OUTPUT)
    assert report["p50_ms"] == 170.5 and report["p90_ms"] == 260.25 and report["p99_ms"] == 1020.0
    assert report["requests"] == 16789 and report["seconds"] == 60.0 and report["requests_per_s"] == 279.81
    assert (report["socket_errors"], report["bad_status"], report["errors"]) == (3, 4, 7)
    clean = parse_wrk(WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
                      .replace("  Non-2xx or 3xx responses: 4\n", ""))
    assert clean["errors"] == 0


def test_request_mix_covers_search_api_listing_and_articles():
    paths = request_paths([7, 8], ["常州", "无锡"])
    kinds = {urlsplit(path).path.split("/")[1] for path in paths}
    assert kinds == {"search", "api", "articles"}
    searches = [parse_qs(urlsplit(p).query) for p in paths if p.startswith("/search/")]
    assert len(searches) >= 200 and any("city" in q for q in searches) and any("sort" in q for q in searches)
    assert "/articles/7/" in paths or "/articles/8/" in paths
    script = lua_script(paths[:3], requests_per_thread=10)
    assert script.count('"/') == 3 and "local limit = 10" in script and "wrk.thread:stop()" in script


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by the README's test command")
def test_a_short_load_run_under_gunicorn_has_no_errors(tmp_path):
    data_dir = migrated_data_dir(tmp_path / "data")
    assert manage(["ingest", "--no-progress"], data_dir).returncode == 0
    out = tmp_path / "load.json"
    run = bench_manage(["loadtest", "--seconds", "3", "--clients", "4", "--max-requests", "60", "--workers", "1",
                        "--json", str(out)], data_dir, timeout=240, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50,
                       DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["requests"] > 0 and report["articles"] == 18
    assert 0 < report["p50_ms"] <= report["p99_ms"]
    assert report["requests"] <= 60 + 4  # the cap stops it (a few may be in flight)
    assert len(report["worker_peak_rss_mb"]) == 1
    assert "errors 0" in run.stdout


def test_bad_arguments_are_refused_cleanly(tmp_path):
    run = bench_manage(["loadtest", "--seconds", "0"], migrated_data_dir(tmp_path / "data"))
    assert run.returncode == 1 and "--seconds must be at least 1" in run.stderr and "Traceback" not in run.stderr
