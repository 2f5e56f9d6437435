"""manage.py bench_queries — latency of the benchmark's query mix against this data folder.

Used by `manage.py benchmark` (which runs it in its own process); also usable on its own
against any archive: `--mode archive` requests /search/ and /api/articles/ through Django's
test client; `--mode haystack` runs the stock-haystack baseline (with archive.settings.baseline).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from search.tooling.query_timing import PAGE_SIZE, WARMUP, run_queries


class Command(BaseCommand):
    help = "Time the benchmark's fixed query mix (HTML page and JSON API) against this data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mode", choices=["archive", "haystack"], default="archive")
        parser.add_argument("--queries", type=int, default=None, help="only the first K queries of the mix")
        parser.add_argument("--page-size", type=int, default=PAGE_SIZE)
        parser.add_argument("--warmup", type=int, default=WARMUP)
        parser.add_argument("--json", help="write the figures to this file (default: print them)")

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_queries(options["mode"], options["queries"], options["page_size"], options["warmup"])
        text = json.dumps(results, ensure_ascii=False, indent=2)
        if options["json"]:
            Path(options["json"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
