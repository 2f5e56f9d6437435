"""manage.py hostile_requests — every route of the site under hostile requests; fails on any 5xx
(see search/tooling/hostile.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.tooling.hostile import run

SHOWN_FAILURES = 20


class Command(BaseCommand):
    help = ("Send hostile requests (control characters, huge and too many parameters, bad encodings, XSS, "
            "path traversal, odd methods and headers) to every route of this archive; print the answers by "
            "status and fail if any is a 5xx or reflects an XSS payload.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=20_000, help="how many requests (default 20,000)")
        parser.add_argument("--seed", type=int, default=26, help="the same seed sends the same requests")
        parser.add_argument("--host", default="testserver", help="Host header (one of DJANGO_ALLOWED_HOSTS)")
        parser.add_argument("--json", help="also write the figures to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1")
        report = run(options["requests"], options["seed"], options["host"],
                     progress=lambda done: self.stderr.write(f"{done} requests sent"))
        self.stdout.write(f"{report.requests} hostile requests in {report.seconds} s")
        self.stdout.write("by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(report.by_status.items())))
        self.stdout.write("by kind: " + ", ".join(f"{kind}: {count}" for kind, count in sorted(report.by_kind.items())))
        for request, problem in report.failures[:SHOWN_FAILURES]:
            self.stdout.write(f"FAILED {request}: {problem}")
        if options["json"]:
            figures = {"requests": report.requests, "seconds": report.seconds,
                       "by_status": {str(status): count for status, count in sorted(report.by_status.items())},
                       "by_kind": dict(report.by_kind), "failures": report.failures}
            Path(options["json"]).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        if report.failures:
            raise CommandError(f"{len(report.failures)} request(s) failed ({report.server_errors} answered 5xx)")
        self.stdout.write("no 5xx, no payload reflected")
