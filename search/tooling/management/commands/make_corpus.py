"""manage.py make_corpus --articles N --out DIR [--seed S] — synthetic page dumps for benchmarks."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.tooling.corpus import generate_corpus


class Command(BaseCommand):
    help = ("Write N synthetic articles as page files plus catalog.csv into DIR (deterministic from --seed), "
            "for benchmarks and scale tests: `manage.py ingest DIR` loads them.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, required=True, help="number of articles")
        parser.add_argument("--out", required=True, help="output folder (created; must be empty)")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["articles"] < 1:
            raise CommandError("--articles must be at least 1")
        started = time.perf_counter()
        try:
            summary = generate_corpus(options["articles"], Path(options["out"]), seed=options["seed"])
        except FileExistsError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Wrote {summary.articles} article(s) on {summary.pages} page(s) "
            f"({summary.bytes / 1e6:.1f} MB, {summary.traditional_pages} page(s) in Traditional script) "
            f"to {summary.out_dir} in {seconds:.1f} s (seed {summary.seed})."
        )
