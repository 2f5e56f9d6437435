"""Latency of the query mix against one data folder (``manage.py bench_queries``).

Run by the benchmark in its own process, after the ingest; usable alone on any archive.
"""
from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from haystack import connections

from archive.models import Article
from search.tooling import baseline_pages
from search.tooling.figures import latency_summary, peak_rss_mb, percentile
from search.tooling.querymix import CATEGORIES, query_mix

PAGE_SIZE = 10
WARMUP = 5


def run_queries(mode: str = "archive", limit: int | None = None, page_size: int = PAGE_SIZE,
                warmup: int = WARMUP) -> dict:
    """Latency of the query mix against the configured data folder (call after django.setup()).

    mode "archive": /search/ and /api/articles/ through the test client;
    mode "haystack": the baseline's stock haystack page and JSON (search.tooling.baseline_pages)."""
    mix = query_mix(limit)
    if mode == "archive":
        html_call, api_call = _archive_calls(page_size)
    elif mode == "haystack":

        def html_call(params: dict) -> int:
            return baseline_pages.results_page(params, page_size)[1]

        def api_call(params: dict) -> int:
            return baseline_pages.results_json(params, page_size)[1]
    else:
        raise ValueError(f"unknown mode {mode!r}")

    results: dict = {"mode": mode, "page_size": page_size, "articles": Article.objects.count()}
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    results["index_documents"] = backend.index.doc_count()
    with override_settings(ARCHIVE_PAGE_SIZE=page_size):
        for params in mix[:warmup]:
            html_call(_params(params))
            api_call(_params(params))
        html_times, api_times, sql_counts = [], [], []
        by_category: dict[str, dict] = {name: {"html": [], "api": [], "zero_hits": 0} for name in CATEGORIES}
        for params in mix:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                html_call(_params(params))
            elapsed = time.perf_counter() - started
            html_times.append(elapsed)
            sql_counts.append(len(captured.captured_queries))
            by_category[params["category"]]["html"].append(elapsed)
        for params in mix:
            started = time.perf_counter()
            hits = api_call(_params(params))
            elapsed = time.perf_counter() - started
            api_times.append(elapsed)
            by_category[params["category"]]["api"].append(elapsed)
            if not hits:
                by_category[params["category"]]["zero_hits"] += 1
    results["search_html"] = latency_summary(html_times)
    results["search_api"] = latency_summary(api_times)
    results["sql_queries_per_page"] = statistics.median(sql_counts) if sql_counts else None
    results["sql_queries_per_page_max"] = max(sql_counts) if sql_counts else None
    results["zero_hit_queries"] = sum(category["zero_hits"] for category in by_category.values())
    results["by_category"] = {
        name: {"queries": len(data["html"]),
               "html_p50_ms": round(percentile([t * 1000 for t in data["html"]], 50), 2) if data["html"] else None,
               "api_p50_ms": round(percentile([t * 1000 for t in data["api"]], 50), 2) if data["api"] else None,
               "zero_hits": data["zero_hits"]}
        for name, data in by_category.items() if data["html"]
    }
    results["rss_mb"] = peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return results


def _params(query: dict) -> dict:
    return {key: value for key, value in query.items() if key != "category"}


def _archive_calls(page_size: int) -> tuple[Callable[[dict], int], Callable[[dict], int]]:
    client = Client()

    def html_call(params: dict) -> int:
        response = client.get("/search/", params)
        if response.status_code != 200:
            raise RuntimeError(f"/search/ {params} answered {response.status_code}")
        return 1  # hit counts come from the API

    def api_call(params: dict) -> int:
        response = client.get("/api/articles/", {**params, "page_size": page_size})
        if response.status_code != 200:
            raise RuntimeError(f"/api/articles/ {params} answered {response.status_code}")
        return response.json()["count"]

    return html_call, api_call

