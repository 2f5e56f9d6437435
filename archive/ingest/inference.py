"""Metadata for a page the catalog does not know, read from that page alone: the outlet its
cues name (see outlets.py), its masthead, its web metadata, a dated page header, its file name,
and the places it names. Nothing comes from other pages, so the same file gets the same
metadata whatever was ingested before it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.gazetteer import infer_place
from archive.ingest.catalog import CatalogEntry
from archive.ingest.dates import DAY, FuzzyDate, make_date
from archive.ingest.outlets import OutletDirectory
from archive.ingest.parsing import ParsedArticle, ParsedPage
from archive.text.script import to_simplified_chars

UNKNOWN_PUBLICATION = "未知来源"
_FILENAME_DATE_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


@dataclass(frozen=True)
class SectionMetadata:
    publication: str
    medium: str
    city: str
    district: str
    issue_date: FuzzyDate
    page: str
    inferred: bool
    host: str = ""
    surroundings: str = ""  # the page's whole Simplified text, to settle a tie between places


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


def infer_metadata(source_name: str, page: ParsedPage, outlets: OutletDirectory) -> SectionMetadata:
    """Best reading of who published a page, where and when; marked as inferred.

    The outlet is the story's origin when the page names one (a repost is filed under the
    original outlet), else its masthead; the site that showed it is kept as the host. The place
    is the one the page's text is about, else the outlet's home; a page naming no outlet gets
    the placeholder publication, which never carries a place."""
    attribution = outlets.attribute(page.lines)
    masthead = next((outlets.canonical(name) for name in page.mastheads if outlets.get(name)), "")
    masthead = masthead or (page.mastheads[0] if page.mastheads else "")
    publication = attribution.origin or masthead or attribution.host or UNKNOWN_PUBLICATION
    host = next((name for name in (masthead, attribution.host) if name and name != publication), "")
    outlet = outlets.get(publication)
    has_web_meta = any(article.origin for article in page.articles)
    medium = outlet.medium if outlet else ("web" if has_web_meta or publication.endswith(("新闻", "网")) else "print")
    surroundings = " ".join(page.lines)
    city, district = infer_place(to_simplified_chars(page_text(page.articles)), surroundings)
    if not city and outlet:
        city, district = outlet.city, outlet.district
    return SectionMetadata(
        publication=publication,
        medium=medium,
        city=city,
        district=district,
        issue_date=page.date_hint or date_from_filename(source_name) or FuzzyDate.unknown(),
        page="",
        inferred=True,
        host=host,
        surroundings=surroundings,
    )


def page_text(articles: list[ParsedArticle]) -> str:
    return " ".join(f"{a.kicker} {a.headline} {a.subheadline} {a.body}" for a in articles)


def article_place(article: ParsedArticle, metadata: SectionMetadata) -> tuple[str, str]:
    """Where one article of an inferred page is set: the places it names, else the page's."""
    if not metadata.inferred:
        return metadata.city, metadata.district
    city, district = infer_place(to_simplified_chars(page_text([article])), metadata.surroundings)
    if not city:
        return metadata.city, metadata.district
    return city, district


def date_from_filename(source_name: str) -> FuzzyDate | None:
    """A date written into the file name (武进日报_20241031_A1.txt)."""
    match = _FILENAME_DATE_RE.search(source_name)
    if not match:
        return None
    value = make_date(*(int(part) for part in match.groups()))
    return FuzzyDate(value, DAY) if value else None
