"""The catalog: what an editor knows about each source file.

``catalog.csv`` beside the files (UTF-8, header row) has one row per file:

    file,publication,medium,city,district,issue_date,page

``medium`` is ``print`` or ``web``; ``issue_date`` is YYYY-MM-DD, YYYY-MM or
YYYY. A file without a row is still ingested, with inferred metadata.

A catalog beside the files names them by their path under its own folder (`page1.txt`, or
`wujin/page1.txt` for a catalog one folder up), so two folders' catalogs may both name a
`page1.txt`; a catalog given with `--catalog` names files by their path under the folder
given to the ingest, or by their bare file name.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archive.ingest.dates import FuzzyDate, parse_iso_fuzzy

CATALOG_NAME = "catalog.csv"
COLUMNS = ("file", "publication", "medium", "city", "district", "issue_date", "page")
MEDIA = ("print", "web")


class CatalogError(ValueError):
    """A catalog row that cannot be used; names the file and the problem."""


@dataclass(frozen=True)
class CatalogEntry:
    file: str
    publication: str
    medium: str
    city: str
    district: str
    issue_date: FuzzyDate
    page: str


@dataclass
class Catalog:
    entries: dict[str, CatalogEntry]
    problems: dict[str, str]

    def lookup(self, file_name: str) -> CatalogEntry | None:
        """The entry for a file; raises CatalogError when its row is malformed."""
        if file_name in self.problems:
            raise CatalogError(self.problems[file_name])
        return self.entries.get(file_name)

    def lookup_file(self, path: Path, name: str) -> CatalogEntry | None:
        """The entry for the file at `path`, `name` under its ingest folder: a catalog beside it
        first (keyed by location), then one naming it by `name` or by its bare file name."""
        for key in dict.fromkeys((location_key(path), name, PurePosixPath(name).name)):
            if key in self.problems or key in self.entries:
                return self.lookup(key)
        return None

    def merge(self, other: Catalog) -> None:
        self.entries.update(other.entries)
        self.problems.update(other.problems)

    @classmethod
    def empty(cls) -> Catalog:
        return cls({}, {})


def location_key(path: Path) -> str:
    """A file's absolute location, symlinks left as walked: how a catalog beside files keys them."""
    return os.path.abspath(path)


def load_catalog(path: Path, beside_files: bool = False) -> Catalog:
    """Read a catalog file; a bad row is remembered against its file, not fatal. A catalog
    `beside_files` keys its rows by location (its folder + the row's path)."""
    catalog = Catalog.empty()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in ("file", "publication") if column not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        for line_number, row in enumerate(reader, start=2):
            file_name = (row.get("file") or "").strip()
            if not file_name:
                continue
            if beside_files:
                file_name = location_key(path.parent / file_name)
            try:
                catalog.entries[file_name] = _entry(row)
            except ValueError as exc:
                catalog.problems[file_name] = f"{path.name} line {line_number}: {exc}"
    return catalog


def _entry(row: dict[str, str]) -> CatalogEntry:
    def value(key: str) -> str:
        return (row.get(key) or "").strip()

    publication = value("publication")
    if not publication:
        raise ValueError("publication is empty")
    medium = value("medium") or "print"
    if medium not in MEDIA:
        raise ValueError(f"medium must be one of {', '.join(MEDIA)}, not {medium!r}")
    issue_date = parse_iso_fuzzy(value("issue_date")) if value("issue_date") else FuzzyDate.unknown()
    return CatalogEntry(
        file=value("file"),
        publication=publication,
        medium=medium,
        city=value("city"),
        district=value("district"),
        issue_date=issue_date,
        page=value("page"),
    )
