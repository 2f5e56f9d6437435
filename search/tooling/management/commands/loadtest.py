"""manage.py loadtest — wrk against gunicorn serving this archive (see search/tooling/loadtest.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.tooling.loadtest import LoadTestError, run_load


class Command(BaseCommand):
    help = "Serve this archive with gunicorn on 127.0.0.1 and load it with wrk; print the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=50, help="concurrent connections (default 50)")
        parser.add_argument("--seconds", type=int, default=60, help="duration (default 60)")
        parser.add_argument("--max-requests", type=int, default=100_000,
                            help="stop after about this many requests even if time is left (default 100,000)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
        parser.add_argument("--json", help="also write the figures to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("clients", "seconds", "max_requests", "workers"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        try:
            report = run_load(options["clients"], options["seconds"], options["max_requests"], options["workers"])
        except LoadTestError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.pop("wrk_output"))
        summary = (f"{report['requests']} requests in {report['seconds']} s ({report['requests_per_s']}/s) "
                   f"from {report['clients']} clients over {report['distinct_paths']} distinct URLs, "
                   f"{report['articles']} articles: errors {report['errors']} "
                   f"(status {report['bad_status']}, socket {report['socket_errors']}); "
                   f"latency p50 {report.get('p50_ms')} ms, p90 {report.get('p90_ms')} ms, "
                   f"p99 {report.get('p99_ms')} ms; worker peak RSS {report['worker_peak_rss_mb']} MB")
        self.stdout.write(summary)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        if report["errors"]:
            raise CommandError(f"{report['errors']} request(s) failed")
