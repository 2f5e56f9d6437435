"""python manage.py ingest [PATH ...] — load page dumps into the archive."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.extract.store import Extractor
from archive.ingest.catalog import CATALOG_NAME, Catalog, CatalogError, load_catalog
from archive.ingest.loader import FileOutcome, finish_run, ingest_file, outlets_for_run, record_outcome
from archive.ingest.outlets import OutletDirectory
from archive.models import IngestRun
from archive.signals import bulk_load_finished, bulk_load_progressed, bulk_load_started


class Command(BaseCommand):
    help = "Ingest page dumps (files or folders; default: seeds/) into clean, dated, placed articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: the seeds folder)")
        parser.add_argument(
            "--catalog", action="append", default=[],
            help=f"extra catalog file(s); a {CATALOG_NAME} beside the files is always read",
        )
        parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or [Path(settings.ARCHIVE_SEEDS_DIR)]
        files, missing = collect_files(paths)
        for path in missing:
            self.stderr.write(self.style.ERROR(f"ERROR {path}: no such file or folder"))
        catalog = self._catalog(files, [Path(p) for p in options["catalog"]])
        run = IngestRun.objects.create(paths=[str(p) for p in paths])
        outcomes = [FileOutcome(str(path), "failed", "no such file or folder") for path in missing]
        show_bar = not options["no_progress"] and sys.stderr.isatty() and options["verbosity"] > 0
        extractor = Extractor()
        outlets = outlets_for_run(catalog)
        # The index side listens (search/indexing/bulk_load.py): it may index beside the parsing.
        bulk_load_started.send(sender=self.__class__, alongside=True)
        completed = False
        try:
            for path in tqdm(files, desc="ingest", unit="file", disable=not show_bar, file=sys.stderr):
                outcome = self._ingest_one(path, catalog, extractor, outlets, options["traceback"])
                record_outcome(run, outcome)
                outcomes.append(outcome)
                self._report(path, outcome, options["verbosity"])
                bulk_load_progressed.send(sender=self.__class__)
            completed = True
        finally:
            lines = bulk_load_finished.send(sender=self.__class__, completed=completed)
        if options["verbosity"] >= 2:
            for _receiver, line in lines:
                if line:
                    self.stdout.write(line)
        finish_run(run, outcomes)
        self._summary(run)
        if run.files_failed:
            raise CommandError(f"{run.files_failed} of {run.files_seen} file(s) failed; see the lines above")

    def _ingest_one(
        self, path: Path, catalog: Catalog, extractor: Extractor, outlets: OutletDirectory, show_traceback: bool
    ) -> FileOutcome:
        """One file; an unexpected error fails that file only (its transaction is rolled back)."""
        try:
            return ingest_file(path, catalog, extractor, outlets)
        except Exception as exc:  # noqa: BLE001 - the other files must still load
            if show_traceback:
                self.stderr.write(traceback.format_exc())
            reason = " ".join(str(exc).split())[:300]
            return FileOutcome(path.name, "failed", f"unexpected error ({type(exc).__name__}: {reason})")

    def _catalog(self, files: list[Path], extra: list[Path]) -> Catalog:
        catalog = Catalog.empty()
        candidates = {path.parent / CATALOG_NAME for path in files} | set(extra)
        for candidate in sorted(candidates):
            if not candidate.exists():
                if candidate in extra:
                    raise CommandError(f"catalog {candidate} does not exist")
                continue
            try:
                catalog.merge(load_catalog(candidate))
            except (CatalogError, UnicodeDecodeError, OSError) as exc:
                raise CommandError(f"cannot read catalog {candidate}: {exc}") from exc
        return catalog

    def _report(self, path: Path, outcome: FileOutcome, verbosity: int) -> None:
        if outcome.failed:
            self.stderr.write(self.style.ERROR(f"ERROR {path}: {outcome.message}"))
        elif verbosity >= 2:
            self.stdout.write(f"{outcome.status:9} {path}: {outcome.message}")

    def _summary(self, run: IngestRun) -> None:
        statuses = set(run.files.values_list("status", flat=True))
        if run.files_seen and statuses == {"unchanged"}:
            self.stdout.write(f"Nothing changed: {run.files_seen} file(s), {run.unchanged} article(s) already up to date"
                              + (f", {run.kept} kept as edited" if run.kept else "") + ".")
            return
        self.stdout.write(
            f"Ingested {run.files_seen} file(s) ({run.files_failed} failed, "
            f"{run.files.filter(status='updated').count()} updated): "
            f"{run.created} article(s) created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.kept} kept because edited, {run.removed} removed."
        )


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files to ingest (folders expanded, catalogs and hidden files skipped) and paths that do not exist."""
    files: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                child for child in sorted(path.iterdir())
                if child.is_file() and not child.name.startswith(".") and child.name != CATALOG_NAME
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing
