"""python manage.py evaluate_search PAGES EXPECTED.json JUDGMENTS.json — measure the search on real pages.

The pages are ingested into a throw-away archive (archive/throwaway.py: a child process with
a temporary data folder), so the archive you run is never touched. Each judged query is then
run as the results page runs it and scored (search/evaluation.py): recall over every match,
precision over the first ten rows, and the misses behind both. A page is known by its URL,
which EXPECTED.json gives for each file; the judgments name the relevant pages by URL.
"""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.evaluation import ExpectationError, load_expected
from archive.models import Article, IngestFileResult, Section
from archive.throwaway import evaluation_args, in_throwaway_archive, ingest_pages, run_in_throwaway_archive
from search.evaluation import JudgedQuery, JudgmentError, RelevanceSummary, load_judgments, run_judged

SHOWN_UNKNOWN = 5


class Command(BaseCommand):
    help = "Ingest a folder of pages into a throw-away archive and score the search on judged queries."

    def add_arguments(self, parser):
        parser.add_argument("pages", help="folder of page files")
        parser.add_argument("expected", help="JSON file of expected facts per page; its 'url' names each file")
        parser.add_argument("judgments", help='JSON list of {"query", "relevant": [url, ...], "why"} (docs/search.md)')
        parser.add_argument("--json", dest="json_out", help="also write the figures and misses to this file")
        parser.add_argument("--no-misses", action="store_true", help="print the figures only")

    def handle(self, *args, **options):
        pages = Path(options["pages"])
        if not pages.is_dir():
            raise CommandError(f"{pages} is not a folder of pages")
        url_of_file = _urls_by_file(Path(options["expected"]))
        queries = _judged_queries(Path(options["judgments"]), set(url_of_file.values()), options["expected"])
        if options["json_out"] and not Path(options["json_out"]).resolve().parent.is_dir():
            raise CommandError(f"cannot write {options['json_out']}: its folder does not exist")
        if not in_throwaway_archive():
            paths = [options["pages"], options["expected"], options["judgments"]]
            run_in_throwaway_archive("evaluate_search", evaluation_args(paths, options), self.stdout)
            return
        ingest_pages(pages)

        def key_of(article: Article) -> str | None:
            return url_of_file.get(article.section.source_name)

        summary = run_judged(queries, key_of)
        show_misses = not options["no_misses"]
        for line in _ingest_lines(set(url_of_file), show_misses) + summary.report_lines(show_misses):
            self.stdout.write(line)
        if options["json_out"]:
            report = json.dumps(summary_figures(summary), ensure_ascii=False, indent=1)
            Path(options["json_out"]).write_text(report + "\n", encoding="utf-8")


def _urls_by_file(path: Path) -> dict[str, str]:
    """The page URL of every file that has one in the expected-facts file."""
    try:
        expected = load_expected(path)
    except ExpectationError as exc:
        raise CommandError(str(exc)) from exc
    return {page.file: page.url for page in expected if page.url}


def _judged_queries(path: Path, known_urls: set[str], expected_name: str) -> list[JudgedQuery]:
    """The judgments, refused when one names a page the expected-facts file does not know:
    such a page could never be found, and would count as a miss of the search."""
    try:
        queries = load_judgments(path)
    except JudgmentError as exc:
        raise CommandError(f"cannot read the judgments: {exc}") from exc
    unknown = [(judged.query, url) for judged in queries for url in sorted(judged.relevant - known_urls)]
    if unknown:
        shown = "; ".join(f"{url} (query {query!r})" for query, url in unknown[:SHOWN_UNKNOWN])
        more = f" and {len(unknown) - SHOWN_UNKNOWN} more" if len(unknown) > SHOWN_UNKNOWN else ""
        raise CommandError(f"{path}: {len(unknown)} relevant URL(s) are not in {expected_name}: {shown}{more}")
    return queries


def _ingest_lines(files: set[str], show_failures: bool) -> list[str]:
    """How many of the files with a URL made it into the archive, and why the others did not:
    a page that is not in the archive can never be found, which explains its misses."""
    ingested = set(Section.objects.filter(source_name__in=files).values_list("source_name", flat=True))
    lines = [f"pages        {len(ingested)}/{len(files)} ingested"]
    if show_failures:
        reasons = dict(IngestFileResult.objects.filter(source_name__in=files - ingested)
                       .values_list("source_name", "message"))
        lines += [f"NOT INGESTED {name}: {reasons.get(name, 'not found in the folder')}"
                  for name in sorted(files - ingested)]
    return lines


def summary_figures(summary: RelevanceSummary) -> dict:
    """The report as data: the figures, then every query that missed a page or showed a wrong one."""
    return {
        "queries": len(summary.outcomes),
        "recall": {"found": summary.relevant_found, "total": summary.relevant_total, "ratio": summary.recall},
        "precision_at_10": summary.precision_at_10,
        "misses": [
            {"query": outcome.judged.query, "missed": sorted(outcome.missed),
             "wrong_in_top": list(outcome.wrong_in_top), "precision": outcome.precision}
            for outcome in summary.outcomes if outcome.missed or outcome.wrong_in_top
        ],
    }
