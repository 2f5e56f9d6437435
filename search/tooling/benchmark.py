"""End-to-end benchmark of ingest, indexing and search (``manage.py benchmark``).

One run builds everything from nothing in a temporary folder and measures:

- **ingest**: a synthetic corpus (search/tooling/corpus.py) is loaded by ``manage.py ingest DIR`` in
  its own process (after ``manage.py migrate``), with ``ARCHIVE_DATA_DIR`` pointing at a fresh
  data folder: SQLite database and Whoosh index. The wall time of the whole command (start-up,
  parsing, extraction, database writes, indexing) gives MB/s of source text (the page files'
  bytes, MB = 10^6 bytes) and articles/s; ``os.wait4`` gives its peak RSS.
- **search**: ``manage.py bench_queries`` in another process runs a fixed mix of queries
  (:func:`query_mix`) once each through Django's test client (in-process: no network, full
  middleware, form validation and template rendering) against ``/search/`` (the HTML page with
  facets, highlights, timeline; 10 hits a page) and ``/api/articles/`` (JSON, ``page_size=10``),
  after a few warm-up requests. Reported: p50/p95 latency, SQL queries per HTML page
  (``CaptureQueriesContext``), the process's peak RSS.
- **index size**: the index folder on disk.
- **baseline**: the same on the first M articles of the same corpus with stock parts
  (``archive.settings.baseline``: haystack's Whoosh backend with jieba's ChineseAnalyzer, haystack's
  RealtimeSignalProcessor indexing each article as it is saved, inside the ingest's transaction;
  the outbox flush finds nothing to do). Its "HTML page" is ``search.tooling.baseline_pages.results_page``:
  ``SearchQuerySet().auto_query(q)`` (+ ``filter(city=)``, ``order_by``), ``load_all()``, a
  Paginator of 10 (count + slice, as haystack's SearchView does) and a small template; its JSON
  is the same query serialised. These are called directly, without the request/middleware
  stack our pages go through, and render far less (no facets, highlights or timeline).

Nothing here is timed in a test: tests check the report's shape and sanity only.
"""
from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from search.tooling.corpus import generate_corpus, read_manifest
from search.tooling.figures import MB, folder_mb, peak_rss_mb
from search.tooling.querymix import query_mix

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"
_OWN_ENV_PREFIXES = ("DJANGO_", "ARCHIVE_", "SEARCH_", "DATABASE_URL", "XDG_DATA_HOME")


# -- the parent: build, ingest, query, compare -------------------------------------------
def benchmark_env(data_dir: Path, settings_module: str) -> dict[str, str]:
    """A hermetic environment: this process's own archive/Django settings dropped, a fresh
    SQLite database and index in `data_dir`, production-like DEBUG=0 (no query log)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_ENV_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(args: list[str], env: dict[str, str], log_path: Path) -> tuple[float, float]:
    """Run manage.py; returns (wall seconds, peak RSS MB of that process). Raises on failure."""
    with open(log_path, "ab") as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(MANAGE), *args], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"manage.py {' '.join(args)} exited {process.returncode}:\n{tail}")
    return seconds, peak_rss_mb(usage.ru_maxrss)


def measure(corpus_dir: Path, data_dir: Path, settings_module: str, mode: str, queries: int | None,
            log: Callable[[str], None]) -> dict:
    """Migrate, ingest the corpus (timed), then run the query mix; one system's figures."""
    manifest = read_manifest(corpus_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = benchmark_env(data_dir, settings_module)
    log_path = data_dir / "benchmark.log"
    migrate_s, _ = _manage(["migrate", "--verbosity", "0"], env, log_path)
    log(f"  migrated in {migrate_s:.1f} s; ingesting {manifest['articles']} articles "
        f"({manifest['bytes'] / MB:.1f} MB, {manifest['pages']} pages) with {settings_module} …")
    ingest_s, ingest_rss = _manage(["ingest", str(corpus_dir), "--no-progress", "--verbosity", "1"], env, log_path)
    log(f"  ingest took {ingest_s:.1f} s ({manifest['articles'] / ingest_s:.1f} articles/s); running queries …")
    out = data_dir / "queries.json"
    args = ["bench_queries", "--mode", mode, "--json", str(out)]
    if queries:
        args += ["--queries", str(queries)]
    query_s, _ = _manage(args, env, log_path)
    found = json.loads(out.read_text(encoding="utf-8"))
    log(f"  queries took {query_s:.1f} s")
    source_mb = manifest["bytes"] / MB
    articles = found["articles"]
    index_mb = folder_mb(data_dir / "whoosh-index")
    return {
        "articles": articles,
        "corpus_articles": manifest["articles"],
        "index_documents": found["index_documents"],
        "source_mb": round(source_mb, 2),
        "ingest": {
            "seconds": round(ingest_s, 2),
            "mb_per_s": round(source_mb / ingest_s, 4),
            "articles_per_s": round(articles / ingest_s, 2),
        },
        "search_html": found["search_html"],
        "search_api": found["search_api"],
        "sql_queries_per_page": found["sql_queries_per_page"],
        "sql_queries_per_page_max": found["sql_queries_per_page_max"],
        "zero_hit_queries": found["zero_hit_queries"],
        "by_category": found["by_category"],
        "rss_mb": {"ingest": ingest_rss, "query": found["rss_mb"]},
        "index_mb": index_mb,
        "index_mb_per_1000_articles": round(index_mb / articles * 1000, 2) if articles else None,
        "seconds": {"migrate": round(migrate_s, 2), "ingest": round(ingest_s, 2), "queries": round(query_s, 2)},
    }


def ratios(ours: dict, baseline: dict) -> dict:
    """How many times better ours is (> 1: ours is faster / smaller)."""
    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    return {
        "ingest_mb_per_s": ratio(ours["ingest"]["mb_per_s"], baseline["ingest"]["mb_per_s"]),
        "ingest_articles_per_s": ratio(ours["ingest"]["articles_per_s"], baseline["ingest"]["articles_per_s"]),
        "search_html_p50": ratio(baseline["search_html"]["p50_ms"], ours["search_html"]["p50_ms"]),
        "search_html_p95": ratio(baseline["search_html"]["p95_ms"], ours["search_html"]["p95_ms"]),
        "search_api_p50": ratio(baseline["search_api"]["p50_ms"], ours["search_api"]["p50_ms"]),
        "search_api_p95": ratio(baseline["search_api"]["p95_ms"], ours["search_api"]["p95_ms"]),
        "index_mb_per_1000_articles": ratio(baseline["index_mb_per_1000_articles"],
                                            ours["index_mb_per_1000_articles"]),
    }


METHOD = {
    "ingest": "wall time of `manage.py ingest DIR` (own process, fresh SQLite + index, DEBUG=0): start-up, "
              "parsing, extraction, database writes and indexing; MB = 10^6 bytes of the page files",
    "search": "each query of the mix once, after 5 warm-up queries, via Django's test client in one process: "
              "/search/ (HTML, 10 hits, facets, highlights, timeline) and /api/articles/?page_size=10",
    "baseline": "archive.settings.baseline: haystack's Whoosh backend with jieba.analyse.ChineseAnalyzer on its "
                "text fields and haystack's RealtimeSignalProcessor (one index commit per saved article, inside "
                "the ingest transaction), on the first M articles of the same corpus; its page is "
                "SearchQuerySet().auto_query(q)[.filter(city)][.order_by(date)].load_all() through a Paginator "
                "of 10 and a small template, called directly (no request stack)",
    "sql_queries_per_page": "median SQL queries while rendering one HTML results page",
    "rss_mb": "peak RSS (ru_maxrss) of the ingest process and of the query process",
}


def code_version() -> dict:
    """The commit measured and the files changed since (read-only git; empty outside a checkout)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip()
    if not commit:
        return {}
    status = git("--no-optional-locks", "status", "--porcelain")
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    return {"git_commit": commit, "git_changed_files": changed}


def run_benchmark(articles: int, baseline_articles: int = 500, queries: int | None = None, seed: int = 0,
                  workdir: Path | None = None, keep: bool = False, corpus: Path | None = None,
                  log: Callable[[str], None] = print) -> dict:
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="archive-bench-", dir=workdir))
    log(f"benchmark folder: {root}")
    try:
        if corpus is None:
            corpus = root / "corpus"
            t0 = time.perf_counter()
            generate_corpus(articles, corpus, seed=seed)
            log(f"corpus of {articles} articles generated in {time.perf_counter() - t0:.1f} s")
        else:
            seed = read_manifest(corpus)["seed"]
        log("ours:")
        ours = measure(corpus, root / "ours", "archive.settings.bench", "archive", queries, log)
        report: dict = {
            "articles": ours["articles"],
            **{key: value for key, value in ours.items() if key != "articles"},
            "queries_in_mix": len(query_mix(queries)),
            "seed": seed,
        }
        if baseline_articles:
            base_corpus = root / "corpus-baseline"
            generate_corpus(baseline_articles, base_corpus, seed=seed)  # the first M articles of the same corpus
            log("baseline:")
            baseline = measure(base_corpus, root / "baseline", "archive.settings.baseline", "haystack", queries, log)
            report["baseline"] = baseline
            report["ratios"] = ratios(ours, baseline)
        report["method"] = METHOD
        report["environment"] = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            **code_version(),
        }
        report["elapsed_s"] = round(time.perf_counter() - started, 1)
        if keep:
            report["folder"] = str(root)
        return report
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def format_table(report: dict) -> str:
    """The report as a readable table."""
    base = report.get("baseline")
    rows = [
        ("articles", report["articles"], base and base["articles"], None),
        ("source text (MB)", report["source_mb"], base and base["source_mb"], None),
        ("ingest + index: seconds", report["ingest"]["seconds"], base and base["ingest"]["seconds"], None),
        ("ingest + index: MB/s", report["ingest"]["mb_per_s"], base and base["ingest"]["mb_per_s"],
         "ingest_mb_per_s"),
        ("ingest + index: articles/s", report["ingest"]["articles_per_s"], base and base["ingest"]["articles_per_s"],
         "ingest_articles_per_s"),
        ("HTML page p50 (ms)", report["search_html"]["p50_ms"], base and base["search_html"]["p50_ms"],
         "search_html_p50"),
        ("HTML page p95 (ms)", report["search_html"]["p95_ms"], base and base["search_html"]["p95_ms"],
         "search_html_p95"),
        ("JSON API p50 (ms)", report["search_api"]["p50_ms"], base and base["search_api"]["p50_ms"],
         "search_api_p50"),
        ("JSON API p95 (ms)", report["search_api"]["p95_ms"], base and base["search_api"]["p95_ms"],
         "search_api_p95"),
        ("SQL queries per page", report["sql_queries_per_page"], base and base["sql_queries_per_page"], None),
        ("queries with no hit", report["zero_hit_queries"], base and base["zero_hit_queries"], None),
        ("peak RSS ingest (MB)", report["rss_mb"]["ingest"], base and base["rss_mb"]["ingest"], None),
        ("peak RSS queries (MB)", report["rss_mb"]["query"], base and base["rss_mb"]["query"], None),
        ("index size (MB)", report["index_mb"], base and base["index_mb"], None),
        ("index MB per 1,000 articles", report["index_mb_per_1000_articles"],
         base and base["index_mb_per_1000_articles"], "index_mb_per_1000_articles"),
    ]
    ratio_values = report.get("ratios", {})
    header = ("", "ours", "baseline" if base else "", "ours better by" if base else "")
    lines = [f"{header[0]:<30}{header[1]:>14}{header[2]:>14}{header[3]:>16}"]
    for label, ours, theirs, key in rows:
        ratio = ratio_values.get(key) if key else None
        lines.append(f"{label:<30}{_cell(ours):>14}{_cell(theirs) if base else '':>14}"
                     f"{(f'{ratio}x' if ratio else ''):>16}")
    lines.append(f"({report['queries_in_mix']} queries; baseline on the first {base['articles']} articles "
                 "of the same corpus)" if base else f"({report['queries_in_mix']} queries)")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 1000 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)
