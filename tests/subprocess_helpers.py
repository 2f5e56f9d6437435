"""Run `manage.py` in its own process against a throw-away data folder.

Used where a test needs what only a real process shows: exit statuses,
stderr without tracebacks, SIGKILL, settings read from the environment.
The folder holds its own SQLite database and Whoosh index, so the process
never touches the test database or the test index. When the test run itself is on
PostgreSQL (DATABASE_URL), each data folder gets a database of its own on that server
instead, dropped when the run ends.
"""
from __future__ import annotations

import atexit
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_OWN_PREFIXES = ("DJANGO_", "ARCHIVE_", "SEARCH_", "DATABASE_URL", "XDG_DATA_HOME")
PRODUCT_SETTINGS = "archive.settings.base"  # manage.py's own default
BENCH_SETTINGS = "archive.settings.bench"  # adds the tooling app's commands
_template: Path | None = None
_databases: dict[Path, str] = {}  # data folder -> its database's URL (PostgreSQL runs)
_numbers = itertools.count(1)


def postgres_server() -> str | None:
    """The test run's DATABASE_URL when it names a PostgreSQL server, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql") else None


def subprocess_env(data_dir: Path | None, **extra: str) -> dict[str, str]:
    """The environment without the test run's own settings, pointed at `data_dir` (and, on
    PostgreSQL, at the data folder's own database)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_PREFIXES)}
    env.update(DJANGO_SETTINGS_MODULE=PRODUCT_SETTINGS, DJANGO_DEBUG="1", PYTHONUNBUFFERED="1")
    if data_dir is not None:
        env["ARCHIVE_DATA_DIR"] = str(data_dir)
        if postgres_server():
            env["DATABASE_URL"] = _database_of(data_dir)
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
    """A data folder at `path` with a migrated, empty database (migrated once per session, then
    copied: the SQLite file, or on PostgreSQL a database made from a migrated template)."""
    global _template
    if _template is None:
        template = Path(tempfile.mkdtemp(prefix="archive-migrated-"))
        atexit.register(shutil.rmtree, template, True)
        result = manage(["migrate", "--verbosity", "0"], template)
        assert result.returncode == 0, result.stderr
        _template = template
    path.mkdir(parents=True, exist_ok=True)
    if postgres_server():
        _database_of(path, template=_database_of(_template))
        return path
    for name in os.listdir(_template):
        if name.startswith("archive.sqlite3"):
            shutil.copy(_template / name, path / name)
    return path


def _database_of(data_dir: Path, template: str | None = None) -> str:
    """The URL of `data_dir`'s own database on the test run's server, created empty (or as a
    copy of the database at `template`) the first time the folder is asked for."""
    key = data_dir.resolve()
    if key not in _databases:
        server = urlsplit(postgres_server())
        name = f"{server.path.lstrip('/') or 'archive'}_subprocess_{os.getpid()}_{next(_numbers)}"
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(urlsplit(template).path.lstrip("/")))
        _execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)), create)
        _databases[key] = server._replace(path=f"/{name}").geturl()
    return _databases[key]


def drop_databases() -> None:
    """Drop the data folders' databases (at the end of the run)."""
    names = [urlsplit(url).path.lstrip("/") for url in _databases.values()]
    _databases.clear()
    if names:
        _execute(*(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                   for name in names))


def _execute(*statements: sql.Composable) -> None:
    """Statements on the server's maintenance database, outside a transaction (as CREATE DATABASE must be)."""
    with psycopg.connect(urlsplit(postgres_server())._replace(path="/postgres").geturl(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)
