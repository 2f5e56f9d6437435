"""manage.py benchmark --articles N --baseline-articles M --json PATH [--queries K]

Builds a synthetic corpus, a fresh database and index in a temporary folder, and measures
ingest + index throughput, search latency (HTML page and JSON API), SQL queries per page,
peak memory and index size — for the archive and for a stock-haystack baseline.
See search/tooling/benchmark.py for exactly what is measured.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.tooling.benchmark import format_table, run_benchmark


class Command(BaseCommand):
    help = "Measure ingest, indexing and search end to end on a synthetic corpus, against a stock baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, required=True, help="articles in the corpus (N)")
        parser.add_argument("--baseline-articles", type=int, default=500,
                            help="articles for the stock-haystack baseline (M, the first M of the same corpus; "
                                 "0 skips it; default 500)")
        parser.add_argument("--queries", type=int, default=None,
                            help="use only the first K queries of the fixed mix (default: all 275)")
        parser.add_argument("--json", help="write the report to this file")
        parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
        parser.add_argument("--corpus", help="use this corpus (made by make_corpus) instead of generating one")
        parser.add_argument("--workdir", help="where the temporary folder goes (default: the system's temp folder)")
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is reported)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["articles"] < 1 or options["baseline_articles"] < 0:
            raise CommandError("--articles must be at least 1 and --baseline-articles not negative")
        if options["queries"] is not None and options["queries"] < 1:
            raise CommandError("--queries must be at least 1")

        def log(line: str) -> None:
            if options["verbosity"] > 0:
                self.stderr.write(line)

        try:
            report = run_benchmark(
                options["articles"], options["baseline_articles"], options["queries"], options["seed"],
                workdir=Path(options["workdir"]) if options["workdir"] else None, keep=options["keep"],
                corpus=Path(options["corpus"]) if options["corpus"] else None, log=log,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(format_table(report))
        self.stdout.write(f"Benchmark took {report['elapsed_s']:.0f} s"
                          + (f"; report written to {options['json']}" if options["json"] else "") + ".")
