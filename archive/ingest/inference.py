"""Metadata for a page the catalog does not know, read from the page itself:
its masthead, its web metadata, a dated page header, its file name, and the
places it names."""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.gazetteer import infer_place
from archive.ingest.catalog import CatalogEntry
from archive.ingest.dates import DAY, FuzzyDate, make_date
from archive.ingest.script import to_simplified_chars
from archive.ingest.segmenter import ParsedPage

UNKNOWN_PUBLICATION = "未知来源"
_FILENAME_DATE_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


@dataclass(frozen=True)
class KnownPublication:
    name: str
    medium: str
    city: str
    district: str


@dataclass(frozen=True)
class SectionMetadata:
    publication: str
    medium: str
    city: str
    district: str
    issue_date: FuzzyDate
    page: str
    inferred: bool


def from_catalog(entry: CatalogEntry) -> SectionMetadata:
    return SectionMetadata(
        publication=entry.publication,
        medium=entry.medium,
        city=entry.city,
        district=entry.district,
        issue_date=entry.issue_date,
        page=entry.page,
        inferred=False,
    )


def infer_metadata(
    source_name: str, page: ParsedPage, known: dict[str, KnownPublication]
) -> SectionMetadata:
    """Best reading of who published a page, where and when; marked as inferred."""
    publication = next((name for name in page.mastheads if name in known), None)
    publication = publication or (page.mastheads[0] if page.mastheads else UNKNOWN_PUBLICATION)
    match = known.get(publication)
    has_web_meta = any(article.origin for article in page.articles)
    medium = match.medium if match else ("web" if has_web_meta or publication.endswith(("新闻", "网")) else "print")
    if match and match.city:
        city, district = match.city, match.district
    else:
        text = " ".join(f"{a.headline} {a.body}" for a in page.articles)
        city, district = infer_place(to_simplified_chars(text))
    return SectionMetadata(
        publication=publication,
        medium=medium,
        city=city,
        district=district,
        issue_date=page.date_hint or date_from_filename(source_name) or FuzzyDate.unknown(),
        page="",
        inferred=True,
    )


def date_from_filename(source_name: str) -> FuzzyDate | None:
    """A date written into the file name (武进日报_20241031_A1.txt)."""
    match = _FILENAME_DATE_RE.search(source_name)
    if not match:
        return None
    value = make_date(*(int(part) for part in match.groups()))
    return FuzzyDate(value, DAY) if value else None
