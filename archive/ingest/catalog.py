"""The catalog: what an editor knows about each source file.

``catalog.csv`` beside the files (UTF-8, header row) has one row per file:

    file,publication,medium,city,district,issue_date,page

``medium`` is ``print`` or ``web``; ``issue_date`` is YYYY-MM-DD, YYYY-MM or
YYYY. A file without a row is still ingested, with inferred metadata.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

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

    def merge(self, other: Catalog) -> None:
        self.entries.update(other.entries)
        self.problems.update(other.problems)

    @classmethod
    def empty(cls) -> Catalog:
        return cls({}, {})


def load_catalog(path: Path) -> Catalog:
    """Read a catalog file; a bad row is remembered against its file, not fatal."""
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
