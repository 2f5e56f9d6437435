"""Load test of the search pages under gunicorn with wrk (``manage.py loadtest``).

gunicorn serves the configured archive (ARCHIVE_DATA_DIR: its database and
index) on 127.0.0.1; wrk (Debian package ``wrk``) keeps N connections busy for
a fixed time with a mix of requests a reader makes: the results page and the
JSON API for the benchmark's query mix (common and rare words, phrases, single
characters, city filters, date sorting, Traditional script), listings filtered
by city, and article pages. The run stops by itself: after the duration, or
once each wrk thread has sent its share of the request cap.
Reported: requests, errors (non-2xx/3xx answers, socket errors, timeouts),
latency p50/p90/p99 as wrk measures them, requests/s, and the peak memory of
each gunicorn worker.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from archive.models import Article
from search.tooling.querymix import query_mix

ROOT = Path(__file__).resolve().parents[2]


class LoadTestError(Exception):
    """The load test could not run (no wrk, the server did not start, …)."""


def request_paths(article_ids: list[int], cities: list[str]) -> list[str]:
    """The request mix: for every query of the benchmark mix its results page and its
    JSON; then a city listing and an article page for every fourth query."""
    paths: list[str] = []
    for number, query in enumerate(query_mix()):
        params = {key: value for key, value in query.items() if key != "category"}
        paths.append("/search/?" + urlencode(params))
        paths.append("/api/articles/?" + urlencode({**params, "page_size": 10}))
        if number % 4 == 0 and cities:
            paths.append("/articles/?" + urlencode({"city": cities[number % len(cities)]}))
        if number % 4 == 2 and article_ids:
            paths.append(f"/articles/{article_ids[number % len(article_ids)]}/")
    return paths


def lua_script(paths: list[str], requests_per_thread: int) -> str:
    """wrk script: each thread walks the mix from its own starting point, and stops after its share."""
    quoted = ",\n".join(json.dumps(path) for path in paths)
    return f"""
local paths = {{
{quoted}
}}
local counter = 0
local sent = 0
local limit = {requests_per_thread}
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("offset", thread_number * 97)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[((offset or 0) + counter) % #paths + 1])
end

function response(status, headers, body)
  sent = sent + 1
  if sent >= limit then
    wrk.thread:stop()
  end
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    if not Path(gunicorn).exists():
        raise LoadTestError("gunicorn is not installed (pip install -r requirements.txt)")
    log = open(log_path, "ab")
    process = subprocess.Popen(
        [gunicorn, "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", "60", "--backlog", "256", "--access-logfile", "-"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadTestError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles/?page_size=1", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(process)
    raise LoadTestError(f"gunicorn did not answer within 60 s; see {log_path}")


def warm_up(port: int, paths: list[str], workers: int) -> None:
    """Each worker opens the index and loads jieba before the clock starts."""
    for path in paths[: 4 * workers]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                response.read()
        except urllib.error.HTTPError:
            pass


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """VmHWM of each gunicorn worker (children of the master), in MB."""
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if not children.exists():
        return peaks
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            if match:
                peaks.append(round(int(match.group(1)) / 1024, 1))
    return peaks


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 2)


def parse_wrk(output: str) -> dict:
    """The figures of wrk's text report (run with --latency)."""
    report: dict = {}
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    for pct in ("50", "90", "99"):
        if pct in percentiles:
            report[f"p{pct}_ms"] = _ms(percentiles[pct])
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    if total:
        report["requests"] = int(total.group(1))
        report["seconds"] = round(_ms(total.group(2) + total.group(3)) / 1000, 1)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate:
        report["requests_per_s"] = float(rate.group(1))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    report["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    report["bad_status"] = int(non_2xx.group(1)) if non_2xx else 0
    report["errors"] = report["socket_errors"] + report["bad_status"]
    return report


def run_load(clients: int, seconds: int, max_requests: int, workers: int, threads: int = 2) -> dict:
    """Serve the archive with gunicorn, load it with wrk, return the figures."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise LoadTestError("wrk is not installed: apt-get install wrk")
    article_ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:200])
    cities = list(Article.objects.exclude(city="").values_list("city", flat=True).distinct()[:13])
    paths = request_paths(article_ids, cities)
    workdir = Path(tempfile.mkdtemp(prefix="archive-loadtest-"))
    script = workdir / "mix.lua"
    script.write_text(lua_script(paths, max(1, max_requests // threads)), encoding="utf-8")
    port = free_port()
    server = start_server(port, workers, workdir / "gunicorn.log")
    try:
        warm_up(port, paths, workers)
        command = [wrk, "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--latency",
                   "--timeout", "30s", "-s", str(script), f"http://127.0.0.1:{port}"]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
        if finished.returncode != 0:
            raise LoadTestError(f"wrk failed: {finished.stderr.strip() or finished.stdout.strip()}")
        report = parse_wrk(finished.stdout)
        report.update(
            clients=clients, duration_s=seconds, max_requests=max_requests, gunicorn_workers=workers,
            distinct_paths=len(paths), articles=Article.objects.count(),
            worker_peak_rss_mb=worker_peak_rss_mb(server.pid), wrk_output=finished.stdout,
        )
        return report
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)
