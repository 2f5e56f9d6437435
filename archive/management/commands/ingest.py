"""python manage.py ingest [PATH ...] — load page dumps into the archive.

Exit status: 0 when every page file loaded (entries that are not page files, and second copies
of a stored page, are reported with `SKIP` and do not count against it); 1 when any file or
entry got an `ERROR` line (the others still loaded); 3 when the run stopped because the
database or the index could not be written (read-only folder, full disk): what was committed
stays, and `check_index --repair` writes what the index missed.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.extract.store import Extractor
from archive.ingest.catalog import CATALOG_NAME, Catalog, CatalogError, load_catalog
from archive.ingest.faults import OperatorFault, operator_fault
from archive.ingest.loader import FileOutcome, finish_run, ingest_file, outlets_for_run, record_outcome
from archive.ingest.outlets import OutletDirectory
from archive.ingest.sources import SourceFile, walk_sources
from archive.models import IngestFileResult, IngestRun
from archive.signals import bulk_load_finished, bulk_load_progressed, bulk_load_started

Status = IngestFileResult.Status
EXIT_FILES_FAILED = 1
EXIT_STOPPED = 3


class Command(BaseCommand):
    help = "Ingest page dumps (files or folders; default: seeds/) into clean, dated, placed articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: the seeds folder)")
        parser.add_argument(
            "--catalog", action="append", default=[],
            help=f"extra catalog file(s); a {CATALOG_NAME} beside the files is always read",
        )
        parser.add_argument("--no-recurse", action="store_true", help="read only the folders given, not their subfolders")
        parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or [Path(settings.ARCHIVE_SEEDS_DIR)]
        walk = walk_sources(paths, recurse=not options["no_recurse"])
        catalog = self._catalog(walk.files, walk.catalogs, [Path(p) for p in options["catalog"]])
        outcomes: list[FileOutcome] = []
        for entry in walk.unloaded:
            outcomes.append(FileOutcome(entry.name, Status.FAILED if entry.error else Status.SKIPPED, entry.reason))
            self._line(entry.path, outcomes[-1], options["verbosity"])
        try:
            run = IngestRun.objects.create(paths=[str(p) for p in paths])
            for outcome in outcomes:
                record_outcome(run, outcome)
        except Exception as exc:
            self._stop(exc, outcomes, run=None)
        fault = self._load(walk.files, catalog, run, outcomes, options)
        if fault is not None:
            self._stopped(fault, outcomes, run)
        finish_run(run, outcomes)
        self._summary(outcomes)
        failed = sum(1 for outcome in outcomes if outcome.failed)
        if failed:
            seen = sum(1 for outcome in outcomes if not outcome.skipped)
            raise CommandError(f"{failed} of {seen} file(s) failed; see the lines above",
                               returncode=EXIT_FILES_FAILED)

    def _load(self, files: list[SourceFile], catalog: Catalog, run: IngestRun, outcomes: list[FileOutcome],
              options: dict) -> OperatorFault | None:
        """Every file in turn, the index kept up by whoever listens. A fault of the database stops
        the loading (the file it hit is rolled back); a fault of the index stops only the index
        writes (the articles stay queued for it) and the files go on loading. Returns the fault."""
        show_bar = not options["no_progress"] and sys.stderr.isatty() and options["verbosity"] > 0
        extractor = Extractor()
        outlets = outlets_for_run(catalog)
        fault: OperatorFault | None = None
        # The index side listens (search/indexing/bulk_load.py): it may index beside the parsing.
        bulk_load_started.send(sender=self.__class__, alongside=True)
        completed = False
        try:
            try:
                for source in tqdm(files, desc="ingest", unit="file", disable=not show_bar, file=sys.stderr):
                    outcome = self._ingest_one(source, catalog, extractor, outlets, options["traceback"])
                    record_outcome(run, outcome)
                    outcomes.append(outcome)
                    self._line(source.path, outcome, options["verbosity"])
                    if fault is None:
                        try:
                            bulk_load_progressed.send(sender=self.__class__)
                        except Exception as exc:
                            fault = self._fault(exc, writing_index=True)
            except Exception as exc:
                fault = self._fault(exc)
            completed = fault is None
        finally:
            try:
                lines = bulk_load_finished.send(sender=self.__class__, completed=completed)
            except Exception as exc:
                lines = []
                fault = fault or self._fault(exc, writing_index=True)
        if options["verbosity"] >= 2:
            for _receiver, line in lines:
                if line:
                    self.stdout.write(line)
        return fault

    def _ingest_one(
        self, source: SourceFile, catalog: Catalog, extractor: Extractor, outlets: OutletDirectory,
        show_traceback: bool,
    ) -> FileOutcome:
        """One file; an unexpected error fails that file only (its transaction is rolled back).
        A fault of the machine (read-only folder, full disk) is raised: it would fail every file."""
        try:
            return ingest_file(source, catalog, extractor, outlets)
        except Exception as exc:  # noqa: BLE001 - the other files must still load
            if operator_fault(exc) is not None:
                raise
            if show_traceback:
                self.stderr.write(traceback.format_exc())
            reason = " ".join(str(exc).split())[:300]
            return FileOutcome(source.name, Status.FAILED, f"unexpected error ({type(exc).__name__}: {reason})")

    def _fault(self, exc: Exception, writing_index: bool = False) -> OperatorFault:
        fault = operator_fault(exc, writing_index=writing_index)
        if fault is None:
            raise exc
        return fault

    def _stop(self, exc: Exception, outcomes: list[FileOutcome], run: IngestRun | None):
        self._stopped(self._fault(exc), outcomes, run)

    def _stopped(self, fault: OperatorFault, outcomes: list[FileOutcome], run: IngestRun | None):
        """One line naming the folder and the cause, the summary, exit status 3; no traceback."""
        changed = sum(outcome.counts["created"] + outcome.counts["updated"] for outcome in outcomes)
        if any(not outcome.skipped and not outcome.failed for outcome in outcomes):
            advice = "the run stopped; the files loaded before it are stored, the one it was writing is not"
        else:
            advice = "the run stopped before its first file: nothing was changed"
        if fault.what == "the search index":
            advice = (f"{changed} article(s) created or updated in this run are stored and queued for the index: "
                      "run manage.py check_index --repair once it can be written")
        self.stderr.write(self.style.ERROR(f"ERROR {fault.folder}: cannot write {fault.what}: {fault.cause}; {advice}"))
        if run is not None:
            try:
                finish_run(run, outcomes)
            except Exception as exc:  # noqa: BLE001 - the audit row meets the same fault; the line above says it
                if operator_fault(exc) is None:
                    raise
        self._summary(outcomes, stopped=fault.what == "the database")
        raise CommandError(f"{fault.folder} cannot be written ({fault.cause})", returncode=EXIT_STOPPED)

    def _catalog(self, files: list[SourceFile], met: list[Path], extra: list[Path]) -> Catalog:
        catalog = Catalog.empty()
        beside = sorted(set(met) | {source.path.parent / CATALOG_NAME for source in files})
        for candidate, beside_files in [(path, True) for path in beside] + [(path, False) for path in extra]:
            if not candidate.exists():
                if not beside_files:
                    raise CommandError(f"catalog {candidate} does not exist")
                continue
            try:
                catalog.merge(load_catalog(candidate, beside_files=beside_files))
            except (CatalogError, UnicodeDecodeError, OSError) as exc:
                raise CommandError(f"cannot read catalog {candidate}: {exc}") from exc
        return catalog

    def _line(self, path: Path, outcome: FileOutcome, verbosity: int) -> None:
        if outcome.failed:
            self.stderr.write(self.style.ERROR(f"ERROR {path}: {outcome.message}"))
        elif outcome.skipped:
            if verbosity >= 1:
                self.stdout.write(self.style.WARNING(f"SKIP {path}: {outcome.message}"))
        elif verbosity >= 2:
            self.stdout.write(f"{outcome.status:9} {path}: {outcome.message}")

    def _summary(self, outcomes: list[FileOutcome], stopped: bool = False) -> None:
        files = [outcome for outcome in outcomes if not outcome.skipped]
        counts = {name: sum(outcome.counts[name] for outcome in files)
                  for name in ("created", "updated", "unchanged", "kept", "removed")}
        skipped = len(outcomes) - len(files)
        skipped_text = f", {skipped} skipped" if skipped else ""
        if files and all(outcome.status == Status.UNCHANGED for outcome in files):
            self.stdout.write(f"Nothing changed: {len(files)} file(s), {counts['unchanged']} article(s) already up to date"
                              + (f", {counts['kept']} kept as edited" if counts["kept"] else "")
                              + (f"; {skipped} skipped" if skipped else "") + ".")
            return
        failed = sum(1 for outcome in files if outcome.failed)
        updated = sum(1 for outcome in files if outcome.status == Status.UPDATED)
        self.stdout.write(
            f"Ingested {len(files)} file(s){' before stopping' if stopped else ''} ({failed} failed, {updated} updated"
            f"{skipped_text}): {counts['created']} article(s) created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['kept']} kept because edited, {counts['removed']} removed."
        )


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Page files under `paths` (subfolders included) and the entries that cannot be read."""
    walk = walk_sources(paths)
    return [source.path for source in walk.files], [entry.path for entry in walk.unloaded if entry.error]
