"""What an ingest is given, walked: every page file to load under the name it is stored by,
and every other entry with the reason it is not loaded, so that nothing is passed over silently.

A file's name is its path relative to its root: for a folder given, the path under that
folder (subfolders included unless `recurse` is off); for a file given, its name, its folder
being its root. The root is kept as an absolute path, so the same tree gives the same names
whatever the working folder, and `page1.txt` of two folders are two pages
(archive/ingest/identity.py).

Nothing here opens a file: a FIFO, a device or a socket is recognised by its mode and
skipped, so the walk never blocks.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

CATALOG_NAME = "catalog.csv"
MAX_NAME_LENGTH = 255  # Section.source_name


@dataclass(frozen=True)
class SourceFile:
    """A page file to load."""

    path: Path  # as walked (the path given, then the names under it): what report lines show
    root: Path  # absolute folder the name is relative to
    name: str  # the path under the root, with `/` between folders: the page's identity there


@dataclass(frozen=True)
class Unloaded:
    """An entry not loaded, and why. `error`: something that should have been a page file
    and could not be read (ERROR, a non-zero exit); otherwise not a page file at all (SKIP)."""

    path: Path
    name: str
    reason: str
    error: bool


@dataclass
class Walk:
    files: list[SourceFile] = field(default_factory=list)
    unloaded: list[Unloaded] = field(default_factory=list)
    catalogs: list[Path] = field(default_factory=list)  # every catalog.csv met, beside the files


def walk_sources(paths: list[Path], recurse: bool = True) -> Walk:
    """The page files under `paths` in a stable order, the entries left out, the catalogs met."""
    walker = _Walker(recurse)
    for path in paths:
        walker.given(path)
    return walker.walk


class _Walker:
    def __init__(self, recurse: bool):
        self.recurse = recurse
        self.walk = Walk()
        self.seen_files: dict[tuple[int, int], Path] = {}

    def given(self, path: Path) -> None:
        info = self._stat(path, str(path))
        if info is None:
            return
        if stat.S_ISDIR(info.st_mode):
            root = path.resolve()
            self._folder(path, root, "", {(info.st_dev, info.st_ino): path})
        else:
            self._entry(path, path.absolute().parent.resolve(), path.name, info)

    def _folder(self, folder: Path, root: Path, prefix: str, ancestors: dict[tuple[int, int], Path]) -> None:
        try:
            children = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self._unloaded(folder, prefix.rstrip("/") or folder.name, f"cannot read folder: {_cause(exc)}", True)
            return
        for child in children:
            path, name = folder / child.name, prefix + child.name
            if child.name.startswith("."):
                kind = "folder" if child.is_dir(follow_symlinks=False) else "file"
                self._unloaded(path, name, f"hidden {kind}, not read", False)
                continue
            info = self._stat(path, name)
            if info is None:
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    self._unloaded(path, name, f"directory loop: leads back to {ancestors[key]}", True)
                elif not self.recurse:
                    self._unloaded(path, name, "subfolder, not read (--no-recurse)", False)
                else:
                    self._folder(path, root, name + "/", {**ancestors, key: path})
            elif child.name == CATALOG_NAME and stat.S_ISREG(info.st_mode):
                self.walk.catalogs.append(path)
            else:
                self._entry(path, root, name, info)

    def _entry(self, path: Path, root: Path, name: str, info: os.stat_result) -> None:
        kind = _not_a_page(info.st_mode)
        if kind:
            self._unloaded(path, name, f"{kind}, not a page file", False)
            return
        key = (info.st_dev, info.st_ino)
        if key in self.seen_files:
            self._unloaded(path, name, f"same file as {self.seen_files[key]}, already listed", False)
            return
        if len(name) > MAX_NAME_LENGTH:
            self._unloaded(path, name[-MAX_NAME_LENGTH:], f"path under its folder is {len(name)} characters, "
                           f"over the {MAX_NAME_LENGTH} the archive keeps", True)
            return
        self.seen_files[key] = path
        self.walk.files.append(SourceFile(path, root, name))

    def _stat(self, path: Path, name: str) -> os.stat_result | None:
        """The entry's own status, a symlink followed; None (and the reason recorded) when unreachable."""
        try:
            return path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                reason = "symlink loop (the link leads back to itself)"
            elif exc.errno == errno.ENOENT and path.is_symlink():
                reason = f"dangling symlink (points to {os.readlink(path)})"
            elif exc.errno == errno.ENOENT:
                reason = "no such file or folder"
            else:
                reason = f"cannot read: {_cause(exc)}"
            self._unloaded(path, name, reason, True)
            return None

    def _unloaded(self, path: Path, name: str, reason: str, error: bool) -> None:
        self.walk.unloaded.append(Unloaded(path, name, reason, error))


def _not_a_page(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _cause(exc: OSError) -> str:
    return exc.strerror or str(exc)
