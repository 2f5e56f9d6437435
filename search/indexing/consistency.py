"""Drift between the database and the search index, found and repaired.

The outbox (search/indexing/outbox.py) keeps the index in step with every committed
article change, but an index can still drift: it was restored from an old
copy, a process died between a database commit and its flush, someone edited
rows with raw SQL or `QuerySet.update()` (no signals), or the index code
changed what a document holds. This module compares the two sides:

- **missing**: an article the index should hold but does not;
- **stale**: an article whose index entry differs from what the database says
  now (the stored fingerprint, a digest of every field written, differs from
  the fingerprint of the document the article would produce today);
- **orphaned**: an index entry for no current article.

Before any of that, the index's files are checked (`find_damage`: on Whoosh, the table of
contents, each segment's files against the checksums written with them, a sample of reads;
search/engines/whoosh/integrity.py). Damaged segments are taken out of the index and their
articles written again; an index without a usable table of contents is started afresh and
written whole from the database.

Changes still waiting in the outbox are counted separately (`pending`): they
are drift that the next flush repairs anyway. Reading is a snapshot of the
index followed by a pass over the database, so a write landing in between may
show up as transient drift; run the check again, or repair, which is always
safe (it re-writes entries from the database, like the outbox does).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from haystack.constants import ID

from search.engines.whoosh import integrity
from search.engines.whoosh.integrity import Diagnosis
from search.indexing import outbox
from search.indexing.fingerprint import FINGERPRINT

CHUNK = 1000
_ABSENT = object()


@dataclass
class Drift:
    articles: int = 0  # documents the index should hold
    documents: int = 0  # documents it holds
    missing: list[int] = field(default_factory=list)  # article ids
    stale: list[int] = field(default_factory=list)  # article ids
    orphaned: list[str] = field(default_factory=list)  # index document ids
    pending: int = 0  # outbox rows not yet applied

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.orphaned)

    def summary(self) -> str:
        return (
            f"{self.documents} document(s) indexed for {self.articles} article(s): "
            f"{len(self.missing)} missing, {len(self.stale)} stale, {len(self.orphaned)} orphaned; "
            f"{self.pending} change(s) queued in the outbox"
        )


@dataclass
class Repair:
    before: Drift
    after: Drift
    flushed: int = 0  # outbox changes applied first
    written: int = 0  # missing and stale entries re-written
    removed: int = 0  # orphaned entries deleted


@dataclass
class DamageRepair:
    """What repairing the index's files did before the drift was repaired."""

    restarted: bool = False  # no usable table of contents: a fresh index, written whole
    dropped_segments: int = 0  # damaged segments taken out of the index
    dropped_documents: int = 0  # the documents they held (written again from the database)
    checksummed: int = 0  # older segments without checksums, read whole and given them


def find_damage() -> Diagnosis | None:
    """Problems with the index's files; None for an engine with no files of ours (Elasticsearch)."""
    search_backend = outbox.backend()
    return search_backend.diagnose() if hasattr(search_backend, "diagnose") else None


def repair_damage(diagnosis: Diagnosis, timeout: float | None = None) -> DamageRepair:
    """Make the index's files whole again; the articles they held are then missing (written
    by `repair`). Raises whoosh.index.LockError when another writer keeps the index."""
    search_backend = outbox.backend()
    kwargs = {} if timeout is None else {"timeout": timeout}
    done = DamageRepair()
    if diagnosis.whole_index:
        search_backend.reset(**kwargs)
        done.restarted = True
        return done
    if diagnosis.damaged_segments:
        done.dropped_documents = search_backend.drop_segments(diagnosis.damaged_segments, **kwargs)
        done.dropped_segments = len(diagnosis.damaged_segments)
    whole = [segment for segment in diagnosis.unchecked if segment not in diagnosis.damaged_segments]
    if whole:
        integrity.record(search_backend.path, whole)
        done.checksummed = len(whole)
    return done


def indexed_fingerprints() -> tuple[dict[str, str | None], set[str]]:
    """Every index document id with its stored fingerprint (each backend's
    `stored_fingerprints()`: Whoosh's stored fields, Elasticsearch's _source), and the ids
    held more than once."""
    found: dict[str, str | None] = {}
    duplicated: set[str] = set()
    for doc_id, digest in outbox.backend().stored_fingerprints():
        if doc_id in found:
            duplicated.add(doc_id)
        found[doc_id] = digest
    return found, duplicated


def expected_documents() -> Iterator[tuple[int, str, str | None]]:
    """(article id, index document id, fingerprint) for every article the index should hold."""
    search_backend = outbox.backend()
    index = outbox.article_index()
    for article in index.index_queryset().iterator(chunk_size=CHUNK):
        doc = search_backend.document(index, article)
        if doc is not None:
            yield article.pk, doc[ID], doc[FINGERPRINT]


def find_drift() -> Drift:
    """Compare the index with the database (see the module docstring for the kinds of drift)."""
    indexed, duplicated = indexed_fingerprints()
    drift = Drift(documents=len(indexed), pending=outbox.pending_count())
    for pk, doc_id, digest in expected_documents():
        drift.articles += 1
        stored = indexed.pop(doc_id, _ABSENT)
        if stored is _ABSENT:
            drift.missing.append(pk)
        elif stored != digest or doc_id in duplicated:
            drift.stale.append(pk)
    drift.orphaned = sorted(doc_id for doc_id in indexed if doc_id is not None)
    return drift


def _chunks(ids: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def repair(timeout: float | None = None) -> Repair:
    """Apply the outbox, then re-write every missing or stale entry and delete every orphan.

    Raises whoosh.index.LockError when another writer keeps the index longer than `timeout`,
    EngineUnavailable when the engine's server cannot be reached.
    """
    found = find_drift()
    flushed = outbox.flush(timeout=timeout)
    remaining = find_drift() if flushed else found
    changed = sorted(set(remaining.missing) | set(remaining.stale))
    for ids in _chunks(changed):
        outbox.write_articles(ids, timeout=timeout)
    if remaining.orphaned:
        kwargs = {} if timeout is None else {"timeout": timeout}
        with outbox.backend().writer(**kwargs) as writer:
            for doc_id in remaining.orphaned:
                writer.delete_by_term(ID, doc_id)
    return Repair(before=found, after=find_drift(), flushed=flushed, written=len(changed),
                  removed=len(remaining.orphaned))
