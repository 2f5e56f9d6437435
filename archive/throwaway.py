"""A throw-away archive for the evaluation commands (evaluate_ingest, evaluate_search).

Scoring the ingest or the search means ingesting a folder of pages, which must never land
in the archive being run. So such a command runs itself again in a child process whose data
folder (SQLite and Whoosh) is new and is removed when the child ends; the child knows it is
that copy by a mark in its environment, and only there are the pages ingested.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

THROWAWAY_MARK = "ARCHIVE_EVALUATION_DATA_DIR"


def in_throwaway_archive() -> bool:
    """Whether this process is the child whose data folder is thrown away."""
    return os.environ.get(THROWAWAY_MARK) == str(settings.DATA_DIR)


def run_in_throwaway_archive(command: str, args: Sequence[str], stdout: OutputWrapper) -> None:
    """Run `manage.py command *args` in a child with a new data folder, removed afterwards,
    and copy its output to stdout; CommandError with the end of its errors if it fails."""
    with tempfile.TemporaryDirectory(prefix="archive-evaluation-") as data_dir:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data_dir, THROWAWAY_MARK: data_dir,
               "ARCHIVE_SEARCH_ENGINE": "whoosh"}
        env.pop("DATABASE_URL", None)
        argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), command, *args]
        child = subprocess.run(argv, env=env, capture_output=True, text=True)
    stdout.write(child.stdout, ending="")
    if child.returncode:
        raise CommandError(f"the evaluation failed: {child.stderr.strip()[-2000:]}")


def evaluation_args(paths: Sequence[str], options: Mapping[str, Any]) -> list[str]:
    """An evaluation command's line again for its child: the positional paths made absolute,
    then the shared options (--json OUT, --no-misses)."""
    args = [str(Path(path).resolve()) for path in paths]
    if options.get("json_out"):
        args += ["--json", str(Path(options["json_out"]).resolve())]
    if options.get("no_misses"):
        args.append("--no-misses")
    return args


def ingest_pages(pages: Path) -> None:
    """Create the throw-away archive's tables and ingest the folder. A file that fails does not
    stop the others; it is recorded as a failed ingest result for the caller to report."""
    if not in_throwaway_archive():
        raise RuntimeError("pages are only ingested into a throw-away archive")
    call_command("migrate", verbosity=0, interactive=False)
    try:
        call_command("ingest", str(pages), verbosity=0, no_progress=True, stdout=io.StringIO())
    except CommandError:
        pass  # some files failed: recorded, and the evaluation goes on without them
