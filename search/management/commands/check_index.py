"""python manage.py check_index [--repair] — does the search index match the database?"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from whoosh.index import LockError

from search.backend import WRITER_TIMEOUT
from search.engines.base import EngineError
from search.indexing.consistency import Drift, find_drift, repair

EXAMPLES = 10


class Command(BaseCommand):
    help = ("Report articles missing from the search index, stale index entries and orphaned ones; "
            "exit non-zero on drift. --repair re-writes them from the database.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true",
                            help="apply the outbox and fix every difference found")
        parser.add_argument("--timeout", type=float, default=WRITER_TIMEOUT,
                            help=f"seconds to wait for another index writer (default {WRITER_TIMEOUT:g})")

    def handle(self, *args, **options):
        try:
            self._check(options)
        except EngineError as exc:  # e.g. the search cluster is not reachable
            raise CommandError(str(exc)) from exc

    def _check(self, options) -> None:
        if not options["repair"]:
            drift = find_drift()
            self._report("Index", drift, options["verbosity"])
            if not drift.clean:
                raise CommandError(f"the index differs from the database ({drift.total} document(s)); "
                                   "run `manage.py check_index --repair`")
            return
        try:
            result = repair(timeout=options["timeout"])
        except LockError as exc:
            raise CommandError(f"the index is busy (another writer held it for {options['timeout']:g} s); "
                               "the repair stopped; run it again") from exc
        self._report("Found", result.before, options["verbosity"])
        self.stdout.write(f"Repaired: {result.flushed} queued change(s) applied, {result.written} entries "
                          f"re-written, {result.removed} orphan(s) removed.")
        self._report("Now", result.after, options["verbosity"])
        if not result.after.clean:
            raise CommandError(f"{result.after.total} difference(s) remain "
                               "(the database changed meanwhile?); run the check again")

    def _report(self, label: str, drift: Drift, verbosity: int) -> None:
        self.stdout.write(f"{label}: {drift.summary()}.")
        if verbosity >= 1:
            for name in ("missing", "stale", "orphaned"):
                ids = getattr(drift, name)
                if ids:
                    shown = ", ".join(map(str, ids[:EXAMPLES])) + (" …" if len(ids) > EXAMPLES else "")
                    self.stdout.write(f"  {name}: {shown}")
