"""How the archive opens its SQLite database: read-write in WAL mode, or read-only when its
folder cannot be written (a read-only mount, a restored copy being inspected).

SQLite in WAL mode writes `-wal` and `-shm` files beside the database even to read it, so a
database in a folder the web server cannot write failed on every page. Opened read-only
(`mode=ro`) it reads a WAL left beside it; with no WAL file there is nothing to miss and it
is opened `immutable` (SQLite then needs no lock files at all). Pages serve; anything that
writes answers 503 (archive/read_only.py).
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

READ_WRITE_OPTIONS = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                      "transaction_mode": "IMMEDIATE"}


def read_only_wanted(path: Path) -> bool:
    """ARCHIVE_DATABASE_READ_ONLY=1/0 decides; unset, read-only when the database's folder
    (or the file) cannot be written."""
    flag = os.environ.get("ARCHIVE_DATABASE_READ_ONLY", "").strip()
    if flag in ("0", "1"):
        return flag == "1"
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def connection_settings(path: Path, read_only: bool) -> dict:
    """NAME and OPTIONS of the SQLite database at `path` (Django opens SQLite names as URIs)."""
    if not read_only:
        # Several processes (web server, ingest and its indexing child) share the file: wait
        # for locks instead of failing at once, use WAL so readers never block a writer, and
        # take the write lock when a transaction begins (a transaction that read first and
        # then tries to write after another process's commit fails at once, without waiting).
        return {"NAME": str(path), "OPTIONS": dict(READ_WRITE_OPTIONS)}
    wal = Path(f"{path}-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    return {"NAME": f"file:{quote(str(path))}?{mode}", "OPTIONS": {"timeout": 30}}
