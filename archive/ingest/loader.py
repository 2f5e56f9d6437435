"""Write parsed pages into the database, one transaction per file.

Re-running is safe: a page is matched to its Section by its folder and path
(archive/ingest/identity.py: a moved file keeps its page, a second copy is not
stored) and each article to its earlier self by a key taken from its parsed
headline, so a second run changes nothing, a changed file updates its articles,
and an article an editor has touched in the admin is never overwritten.
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from archive.extract.store import Extractor
from archive.ingest.catalog import Catalog, CatalogError
from archive.ingest.decoding import UndecodableFile
from archive.ingest.identity import Match, match_section
from archive.ingest.inference import SectionMetadata, article_place, from_catalog, infer_metadata
from archive.ingest.outlets import Outlet, OutletDirectory
from archive.ingest.page_checks import RefusedPage, parsed_page_refusal, read_page
from archive.ingest.parsing import ParsedArticle, ParsedPage, parse_page
from archive.ingest.sources import SourceFile
from archive.models import Article, IngestFileResult, IngestRun, Publication, Section
from archive.signals import articles_created
from archive.text.script import to_simplified_chars

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024  # a page dump is under 1 MB; a bigger file is refused, not parsed
Status = IngestFileResult.Status


@dataclass
class FileOutcome:
    source_name: str
    status: str
    message: str = ""
    counts: Counter = field(default_factory=Counter)
    changed_ids: list[int] = field(default_factory=list)
    removed_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == Status.FAILED

    @property
    def skipped(self) -> bool:
        return self.status in (Status.SKIPPED, Status.DUPLICATE)


def outlets_for_run(catalog: Catalog) -> OutletDirectory:
    """The listed outlets and every outlet the run's catalog names, read once before the first
    file, so what one page of the run creates never changes how another is read."""
    named = [Outlet(entry.publication, entry.medium, entry.city, entry.district) for entry in catalog.entries.values()]
    return OutletDirectory.from_database().with_names(named)


def ingest_file(
    path: Path | SourceFile, catalog: Catalog, extractor: Extractor | None = None,
    outlets: OutletDirectory | None = None,
) -> FileOutcome:
    """Load one page dump; any problem becomes a failed outcome with a reason.

    `path` is a walked file (archive/ingest/sources.py) or a bare path (its folder is its
    root). New and changed articles go through entity extraction (`extractor`, one per
    run so entities and the taxonomy are loaded once); `outlets` is the run's directory
    (`outlets_for_run`)."""
    source = path if isinstance(path, SourceFile) else SourceFile(path, path.absolute().parent.resolve(), path.name)
    source_name = source.name
    try:
        data = _read(source.path)
        decoded = read_page(data)
        entry = catalog.lookup_file(source.path, source_name)
    except (OSError, UndecodableFile, RefusedPage, CatalogError) as exc:
        return FileOutcome(source_name, Status.FAILED, _reason(exc))
    outlets = outlets or outlets_for_run(catalog)
    page = parse_page(
        decoded.text,
        issue_date=entry.issue_date if entry else None,
        columns=entry.medium == "print" if entry else None,
        publication_names=outlets.names | ({to_simplified_chars(entry.publication)} if entry else set()),
    )
    if not page.articles:
        return FileOutcome(source_name, Status.FAILED, "no article text found on the page")
    if refusal := parsed_page_refusal(page):
        return FileOutcome(source_name, Status.FAILED, refusal)
    metadata = from_catalog(entry) if entry else infer_metadata(source_name, page, outlets)
    content_hash = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        match = match_section(source, content_hash)
        if match.duplicate_of:
            return FileOutcome(source_name, Status.DUPLICATE, f"same content as {match.duplicate_of}, stored once")
        outcome = _store(source, match, content_hash, decoded.encoding, decoded.text, metadata, page,
                         extractor or Extractor())
    if page.language != "zh":
        outcome.message += f"; not a Chinese page (language: {page.language})"
    if decoded.note:
        outcome.message += f"; {decoded.note}"
    return outcome


def _read(path: Path) -> bytes:
    """The file's bytes. Opened without blocking and checked to be a regular file once open, so
    a FIFO or device put in a page's place is refused instead of waited on."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise OSError(f"file is {info.st_size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
        return handle.read()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read file: {exc.strerror}"
    return str(exc)


def _store(
    source: SourceFile, match: Match, content_hash: str, encoding: str, text: str, metadata: SectionMetadata,
    page: ParsedPage, extractor: Extractor,
) -> FileOutcome:
    publication = _publication(metadata)
    wanted = _section_fields(publication, content_hash, encoding, text, metadata, page.language)
    section_created = match.section is None
    if section_created:
        section = Section.objects.create(source_root=str(source.root), source_name=source.name, **wanted)
    else:
        section = match.section
    section_changed = not section_created and _update_section(section, {**wanted, **match.identity})
    outcome = FileOutcome(source.name, Status.CREATED if section_created else Status.UNCHANGED)
    _sync_articles(section, metadata, page.articles, outcome, extractor, section_created)
    if not section_created and (section_changed or outcome.counts["created"] or outcome.counts["updated"]
                                or outcome.counts["removed"]):
        outcome.status = Status.UPDATED
    outcome.message = "; ".join(filter(None, (match.note, _summary(outcome.counts, metadata))))
    return outcome


def _publication(metadata: SectionMetadata) -> Publication:
    """The catalog's publication (its place kept up to date), or the outlet a page names. An
    outlet first met on a page is not listed and carries no place: its place is an editor's call,
    and a page's guess must not travel to other pages through it."""
    if metadata.inferred:
        placed = {"city": "", "district": ""}
    else:
        placed = {"city": metadata.city, "district": metadata.district}
    publication, created = Publication.objects.get_or_create(
        name=metadata.publication,
        defaults={"medium": metadata.medium, "listed": not metadata.inferred, **placed},
    )
    if not created and not metadata.inferred:
        wanted = {"medium": metadata.medium, "city": metadata.city, "district": metadata.district}
        if any(getattr(publication, key) != value for key, value in wanted.items()):
            Publication.objects.filter(pk=publication.pk).update(**wanted)
    return publication


def _section_fields(
    publication: Publication, content_hash: str, encoding: str, text: str, metadata: SectionMetadata,
    language: str,
) -> dict:
    return {
        "publication_id": publication.pk,
        "content_hash": content_hash,
        "encoding": encoding,
        "raw_text": text,
        "issue_date": metadata.issue_date.value,
        "issue_date_precision": metadata.issue_date.precision,
        "page_label": metadata.page,
        "host": metadata.host[:100],
        "language": language,
        "metadata_inferred": metadata.inferred,
    }


def _update_section(section: Section, wanted: dict) -> bool:
    changed = {key: value for key, value in wanted.items() if getattr(section, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(section, key, value)
        section.save()
    return bool(changed)


def source_keys(articles: list[ParsedArticle]) -> list[str]:
    """Stable keys from each article's parsed headline (repeats numbered in page order)."""
    seen: Counter = Counter()
    keys = []
    for article in articles:
        base = f"{article.kind}:{to_simplified_chars(article.headline)}"
        seen[base] += 1
        keys.append(hashlib.sha1(f"{base}:{seen[base]}".encode()).hexdigest())
    return keys


def _article_fields(article: ParsedArticle, position: int, metadata: SectionMetadata) -> dict:
    city, district = article_place(article, metadata)
    return {
        "position": position,
        "kicker": article.kicker[:300],
        "headline": article.headline[:300],
        "headline_derived": article.headline_derived,
        "subheadline": article.subheadline[:300],
        "bylines": article.bylines,
        "origin": article.origin[:100],
        "body": article.body,
        "kind": article.kind,
        "date": article.date.value,
        "date_precision": article.date.precision,
        "date_year_inferred": article.year_inferred,
        "city": city,
        "district": district,
        "script": article.script,
    }


def _sync_articles(
    section: Section, metadata: SectionMetadata, parsed: list[ParsedArticle], outcome: FileOutcome,
    extractor: Extractor, section_created: bool = False,
) -> None:
    # A section created just now has no articles to compare with (a bulk ingest's every page).
    # The others are locked until the file's commit (PostgreSQL; SQLite's writers take turns
    # anyway): an editor's save committed between this read and the writes below would
    # otherwise be overwritten, and its `edited` mark with it. Unordered: the default order
    # joins the publication, whose row FOR UPDATE would lock too.
    existing = {} if section_created else {
        article.source_key: article for article in section.articles.order_by().select_for_update()}
    new: list[Article] = []
    for position, (key, article) in enumerate(zip(source_keys(parsed), parsed, strict=True), start=1):
        fields = _article_fields(article, position, metadata)
        current = existing.pop(key, None)
        if current is None:
            new.append(Article(section=section, source_key=key, **fields))
        elif current.edited:
            outcome.counts["kept"] += 1
        elif all(getattr(current, name) == value for name, value in fields.items()):
            outcome.counts["unchanged"] += 1
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            extractor.apply(current)
            outcome.counts["updated"] += 1
            outcome.changed_ids.append(current.pk)
    if new:
        _create_articles(new, extractor)
        outcome.counts["created"] += len(new)
        outcome.changed_ids.extend(article.pk for article in new)
    for leftover in existing.values():
        if leftover.edited:
            outcome.counts["kept"] += 1
            continue
        outcome.removed_ids.append(leftover.pk)
        leftover.delete()
        outcome.counts["removed"] += 1


def _create_articles(articles: list[Article], extractor: Extractor) -> None:
    """A page's new articles in one insert (ids returned), announced to the index outbox
    (a bulk insert sends no post_save), then their entities, industries and stories."""
    Article.objects.bulk_create(articles)
    articles_created.send(sender=Article, articles=articles)
    extractor.apply_new(articles)


def _summary(counts: Counter, metadata: SectionMetadata) -> str:
    parts = [f"{counts[name]} {name}" for name in ("created", "updated", "unchanged", "kept", "removed") if counts[name]]
    text = ", ".join(parts) or "no articles"
    if metadata.inferred:
        text += "; metadata inferred (not in catalog)"
    return text


def record_outcome(run: IngestRun, outcome: FileOutcome) -> None:
    """Audit row for one file, written outside the file's own transaction."""
    IngestFileResult.objects.create(
        run=run,
        source_name=outcome.source_name[-500:],
        status=outcome.status,
        message=outcome.message,
        **{name: outcome.counts[name] for name in ("created", "updated", "unchanged", "kept", "removed")},
    )


def finish_run(run: IngestRun, outcomes: list[FileOutcome]) -> IngestRun:
    totals: Counter = Counter()
    for outcome in outcomes:
        totals.update(outcome.counts)
    run.files_seen = sum(1 for outcome in outcomes if not outcome.skipped)
    run.files_failed = sum(1 for outcome in outcomes if outcome.failed)
    run.files_skipped = sum(1 for outcome in outcomes if outcome.skipped)
    for name in ("created", "updated", "unchanged", "kept", "removed"):
        setattr(run, name, totals[name])
    run.finished_at = timezone.now()
    run.save()
    return run
