"""Faults of the machine rather than of a page: a folder the archive cannot write, a full disk.

Every later write would fail the same way, so such a fault stops the run with one line naming
the folder and the cause. What was committed before stays: each file is its own transaction,
and articles not yet in the index stay queued for it (`check_index --repair` writes them).
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

_CAUSES = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied (the folder is not writable)",
    errno.EPERM: "operation not permitted (the folder is not writable)",
}
# How SQLite words the same faults (sqlite3.OperationalError, seen through Django's DatabaseError).
_DATABASE_CAUSES = (
    ("readonly database", "read-only: the database or its folder cannot be written"),
    ("database or disk is full", "no space left on the disk"),
    ("unable to open database file", "cannot open the database file (a folder that is missing or not writable?)"),
    ("disk i/o error", "disk I/O error (a full or failing disk?)"),
    ("no space left", "no space left on the disk"),
    ("read-only", "read-only: the database cannot be written"),
)


@dataclass(frozen=True)
class OperatorFault:
    folder: str
    cause: str
    what: str  # "the database" or "the search index"


def data_folder() -> str:
    """The SQLite database's folder (the data folder), or the PostgreSQL database's name."""
    database = connection.settings_dict
    name = str(database.get("NAME") or "")
    if database["ENGINE"].endswith("sqlite3"):
        in_memory = name == ":memory:" or name.startswith("file:") or "mode=memory" in name
        return str(settings.DATA_DIR if in_memory else Path(name).parent)
    return f"database {name}"


def index_folder() -> str:
    connection = getattr(settings, "HAYSTACK_CONNECTIONS", {}).get("default", {})
    return str(connection.get("PATH") or connection.get("URL") or "the search index")


def operator_fault(exc: BaseException, writing_index: bool = False) -> OperatorFault | None:
    """The fault behind `exc` when it is one the operator must fix, else None (a bug, a bad page).
    `writing_index`: the error came from bringing the index up to date, not from the database."""
    for link in _chain(exc):
        if isinstance(link, DatabaseError):
            message = str(link).lower()
            for sign, cause in _DATABASE_CAUSES:
                if sign in message:
                    return OperatorFault(data_folder(), cause, "the database")
        elif isinstance(link, OSError) and link.errno in _CAUSES:
            folder = os.path.dirname(os.fspath(link.filename)) if link.filename else None
            if writing_index:
                return OperatorFault(folder or index_folder(), _CAUSES[link.errno], "the search index")
            return OperatorFault(folder or data_folder(), _CAUSES[link.errno], "the database")
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in seen:
        seen.append(link)
        link = link.__cause__ or link.__context__
    return seen
