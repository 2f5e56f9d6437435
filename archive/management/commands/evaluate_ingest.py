"""python manage.py evaluate_ingest PAGES EXPECTED.json — measure the ingest on your own pages.

The pages are ingested into a throw-away archive (a temporary data folder, SQLite and Whoosh,
removed afterwards) by a child process, so the archive you run is never touched; the result is
scored against the expected facts and printed per field as right / total, then every miss.
"""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.evaluation import (
    ExpectationError,
    IngestedArticle,
    IngestedPage,
    load_expected,
    report_lines,
    score,
)
from archive.ingest.outlets import OutletDirectory
from archive.models import Article, IngestFileResult, Section
from archive.throwaway import evaluation_args, in_throwaway_archive, ingest_pages, run_in_throwaway_archive


class Command(BaseCommand):
    help = "Ingest a folder of pages into a throw-away archive and score it against expected facts."

    def add_arguments(self, parser):
        parser.add_argument("pages", help="folder of page files")
        parser.add_argument("expected", help="JSON file of expected facts per page (see docs/ingest.md)")
        parser.add_argument("--json", dest="json_out", help="also write the scores and misses to this file")
        parser.add_argument("--no-misses", action="store_true", help="print the totals only")

    def handle(self, *args, **options):
        pages, expected_path = Path(options["pages"]), Path(options["expected"])
        if not pages.is_dir():
            raise CommandError(f"{pages} is not a folder of pages")
        try:
            expected = load_expected(expected_path)
        except ExpectationError as exc:
            raise CommandError(str(exc)) from exc
        if not in_throwaway_archive():
            paths = [options["pages"], options["expected"]]
            run_in_throwaway_archive("evaluate_ingest", evaluation_args(paths, options), self.stdout)
            return
        ingest_pages(pages)
        outlets = OutletDirectory.from_database()
        scores = score(expected, ingested_pages(), outlets.canonical)
        for line in report_lines(scores, show_misses=not options["no_misses"]):
            self.stdout.write(line)
        if options["json_out"]:
            report = {name: {"right": s.right, "total": s.total, "misses": s.misses} for name, s in scores.items()}
            Path(options["json_out"]).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def ingested_pages() -> dict[str, IngestedPage]:
    """Every file of the throw-away archive as the evaluation sees it."""
    pages: dict[str, IngestedPage] = {}
    for section in Section.objects.select_related("publication"):
        articles = tuple(_ingested_article(a) for a in section.articles.order_by("position"))
        issue_date = section.issue_date.isoformat() if section.issue_date else None
        pages[section.source_name] = IngestedPage(section.publication.name, section.language, articles,
                                                  issue_date=issue_date)
    for result in IngestFileResult.objects.filter(status=IngestFileResult.Status.FAILED):
        pages.setdefault(result.source_name, IngestedPage("", "", (), error=result.message))
    return pages


def _ingested_article(article: Article) -> IngestedArticle:
    return IngestedArticle(
        kicker=article.kicker, headline=article.headline, subheadline=article.subheadline, body=article.body,
        kind=article.kind, city=article.city, district=article.district,
        date=article.date.isoformat() if article.date else None, date_precision=article.date_precision,
        headline_derived=article.headline_derived,
    )
