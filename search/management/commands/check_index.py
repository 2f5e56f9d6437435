"""python manage.py check_index [--repair] — is the search index whole, and does it match the database?"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from whoosh.index import LockError

from search.backend import WRITER_TIMEOUT
from search.engines.base import EngineError
from search.engines.whoosh.integrity import Diagnosis
from search.indexing.consistency import Drift, find_damage, find_drift, repair, repair_damage

EXAMPLES = 10


class Command(BaseCommand):
    help = ("Check the search index's files (table of contents, segment sizes and checksums, a sample of "
            "reads), then report articles missing from the index, stale entries and orphaned ones; exit "
            "non-zero on damage or drift. --repair rebuilds damaged parts and re-writes drift from the database.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true",
                            help="rebuild what is damaged, apply the outbox and fix every difference found")
        parser.add_argument("--timeout", type=float, default=WRITER_TIMEOUT,
                            help=f"seconds to wait for another index writer (default {WRITER_TIMEOUT:g})")

    def handle(self, *args, **options):
        try:
            if options["repair"]:
                self._repair(options["timeout"], options["verbosity"])
            else:
                self._check(options["verbosity"])
        except LockError as exc:
            raise CommandError(f"the index is busy (another writer held it for {options['timeout']:g} s); "
                               "the repair stopped; run it again") from exc
        except EngineError as exc:  # e.g. the search cluster is not reachable
            raise CommandError(str(exc)) from exc

    def _check(self, verbosity: int) -> None:
        diagnosis = find_damage()
        if diagnosis is not None:
            self._report_files("Files", diagnosis)
            if diagnosis.damage:
                raise CommandError(f"the index is damaged ({len(diagnosis.damage)} problem(s)); its entries were "
                                   "not compared with the database; run `manage.py check_index --repair`")
        drift = find_drift()
        self._report("Index", drift, verbosity)
        if not drift.clean:
            raise CommandError(f"the index differs from the database ({drift.total} document(s)); "
                               "run `manage.py check_index --repair`")

    def _repair(self, timeout: float, verbosity: int) -> None:
        diagnosis = find_damage()
        if diagnosis is not None:
            self._report_files("Files", diagnosis)
            done = repair_damage(diagnosis, timeout=timeout)
            if done.restarted:
                self.stdout.write("Rebuilding: the index had no usable table of contents; every article is "
                                  "written again from the database.")
            if done.dropped_segments:
                self.stdout.write(f"Rebuilding: {done.dropped_segments} damaged segment(s) taken out of the index; "
                                  f"their {done.dropped_documents} document(s) are written again from the database.")
            if done.checksummed:
                self.stdout.write(f"Checksums recorded for {done.checksummed} older segment(s) that read whole.")
        result = repair(timeout=timeout)
        self._report("Found", result.before, verbosity)
        self.stdout.write(f"Repaired: {result.flushed} queued change(s) applied, {result.written} entries "
                          f"re-written, {result.removed} orphan(s) removed.")
        self._report("Now", result.after, verbosity)
        after = find_damage()
        if after is not None:
            self._report_files("Files now", after)
            if after.damage:
                raise CommandError(f"the index is still damaged ({len(after.damage)} problem(s)); "
                                   "run `manage.py rebuild_index --noinput`")
        if not result.after.clean:
            raise CommandError(f"{result.after.total} difference(s) remain "
                               "(the database changed meanwhile?); run the check again")

    def _report_files(self, label: str, diagnosis: Diagnosis) -> None:
        state = f"{len(diagnosis.damage)} problem(s)" if diagnosis.damage else "whole"
        self.stdout.write(f"{label}: {diagnosis.segments} segment(s), {diagnosis.documents} document(s); {state}.")
        for damage in diagnosis.damage:
            self.stdout.write(f"  DAMAGED {damage.line()}")
        if diagnosis.unchecked:
            self.stdout.write(f"  {len(diagnosis.unchecked)} segment(s) without checksums (written before "
                              "they were kept): checked by reading only; --repair records them")

    def _report(self, label: str, drift: Drift, verbosity: int) -> None:
        self.stdout.write(f"{label}: {drift.summary()}.")
        if verbosity >= 1:
            for name in ("missing", "stale", "orphaned"):
                ids = getattr(drift, name)
                if ids:
                    shown = ", ".join(map(str, ids[:EXAMPLES])) + (" …" if len(ids) > EXAMPLES else "")
                    self.stdout.write(f"  {name}: {shown}")
