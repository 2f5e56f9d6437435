"""manage.py crawl — a reader's crawl of the public site from / (see search/tooling/crawl.py)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from search.tooling.crawl import crawl_pages

SHOWN_PROBLEMS = 30


class Command(BaseCommand):
    help = ("Follow every link a reader can click, breadth first from /, in one interface language; print the "
            "pages by status and by route, and fail on any answer that is not 200, any listing or search page "
            "reached by a link that shows 0 results, or an entity index never reached.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=1000, help="how many pages to fetch (default 1,000)")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE,
                            choices=[code for code, _name in settings.LANGUAGES], help="the interface language")
        parser.add_argument("--start", action="append",
                            help="a first page (default /); repeat it to start from several, such as searches")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pages"] < 1:
            raise CommandError("--pages must be at least 1")
        starts = options["start"] or ["/"]
        if not all(start.startswith("/") for start in starts):
            raise CommandError("--start must be a path on this site, such as /")
        report = crawl_pages(options["pages"], options["language"], starts,
                             progress=lambda done: self.stderr.write(f"{done} pages fetched"))
        self.stdout.write(f"{report.pages} pages fetched in {report.seconds} s ({options['language']}), "
                          f"{report.result_pages} of them listing or search pages")
        self.stdout.write("by status: " + ", ".join(f"{code}: {n}" for code, n in sorted(report.by_status.items())))
        self.stdout.write("by route: " + ", ".join(f"{route}: {n}" for route, n in report.by_route.most_common()))
        entity_index = reverse("archive:entity_index")
        reached = entity_index in report.fetched
        self.stdout.write(f"entity index {entity_index}: {'reached' if reached else 'NOT reached'}")
        for path, problem, referrer in report.problems[:SHOWN_PROBLEMS]:
            self.stdout.write(f"PROBLEM {path}: {problem} (linked from {referrer or 'the start'})")
        if report.problems or not reached:
            raise CommandError(f"{len(report.problems)} problem(s)" + ("" if reached else ", entity index not reached"))
        self.stdout.write("every page 200, no link to an empty listing or search")
