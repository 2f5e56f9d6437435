"""Run `manage.py` in its own process against a throw-away data folder.

Used where a test needs what only a real process shows: exit statuses,
stderr without tracebacks, SIGKILL, settings read from the environment.
The folder holds its own SQLite database and Whoosh index, so the process
never touches the test database or the test index.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_OWN_PREFIXES = ("DJANGO_", "ARCHIVE_", "SEARCH_", "DATABASE_URL", "XDG_DATA_HOME")
PRODUCT_SETTINGS = "archive.settings.base"  # manage.py's own default
BENCH_SETTINGS = "archive.settings.bench"  # adds the tooling app's commands
_template: Path | None = None


def subprocess_env(data_dir: Path | None, **extra: str) -> dict[str, str]:
    """The environment without the test run's own settings, pointed at `data_dir`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_PREFIXES)}
    env.update(DJANGO_SETTINGS_MODULE=PRODUCT_SETTINGS, DJANGO_DEBUG="1", PYTHONUNBUFFERED="1")
    if data_dir is not None:
        env["ARCHIVE_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def manage_command(args: list[str]) -> list[str]:
    return [PYTHON, str(ROOT / "manage.py"), *args]


def manage(
    args: list[str], data_dir: Path | None, timeout: float = 180, **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        manage_command(args), cwd=ROOT, env=subprocess_env(data_dir, **env),
        capture_output=True, text=True, timeout=timeout,
    )


def bench_manage(
    args: list[str], data_dir: Path | None, timeout: float = 180, **env: str
) -> subprocess.CompletedProcess:
    """`manage` with the bench settings, for the tooling app's commands."""
    return manage(args, data_dir, timeout, DJANGO_SETTINGS_MODULE=BENCH_SETTINGS, **env)


def migrated_data_dir(path: Path) -> Path:
    """A data folder at `path` with a migrated, empty database (migrated once per session, then copied)."""
    global _template
    if _template is None:
        template = Path(tempfile.mkdtemp(prefix="archive-migrated-"))
        atexit.register(shutil.rmtree, template, True)
        result = manage(["migrate", "--verbosity", "0"], template)
        assert result.returncode == 0, result.stderr
        _template = template
    path.mkdir(parents=True, exist_ok=True)
    for name in os.listdir(_template):
        if name.startswith("archive.sqlite3"):
            shutil.copy(_template / name, path / name)
    return path
