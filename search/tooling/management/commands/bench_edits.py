"""manage.py bench_edits --corpus DIR — how soon an edit is searchable during a bulk ingest.

Run it with ARCHIVE_DATA_DIR pointing at an empty folder: it migrates, ingests the
corpus's first pages, starts a bulk ingest of the rest in another process and times
edits made meanwhile (search/tooling/edit_latency.py). Prints a JSON report.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.utils import OperationalError, ProgrammingError

from archive.models import Article
from search.tooling.edit_latency import measure_edits


class Command(BaseCommand):
    help = "Time how soon an article edit is searchable while a bulk ingest runs (in an empty data folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, help="a corpus made by make_corpus")
        parser.add_argument("--head-files", type=int, default=40, help="pages ingested first, to have articles to edit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between two edits")
        parser.add_argument("--max-edits", type=int, default=200)
        parser.add_argument("--json", help="also write the report to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = Path(options["corpus"])
        if not (corpus / "catalog.csv").is_file():
            raise CommandError(f"{corpus} is not a corpus folder (no catalog.csv)")
        try:
            holds_articles = Article.objects.exists()
        except (OperationalError, ProgrammingError):  # no tables yet: an empty folder, as wanted
            holds_articles = False
        if holds_articles:
            raise CommandError("the data folder already holds articles: point ARCHIVE_DATA_DIR at an empty one")
        try:
            report = measure_edits(corpus, options["head_files"], options["interval"], options["max_edits"],
                                   log=self.stdout.write)
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(report, ensure_ascii=False, indent=2)
        if options["json"]:
            Path(options["json"]).write_text(text, encoding="utf-8")
        self.stdout.write(text)
