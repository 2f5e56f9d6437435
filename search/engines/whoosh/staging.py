"""Index batches built beside the index and attached in a short locked step.

Writing 10,000 articles into Whoosh takes minutes. Holding the index's write lock
for all of that kept every admin save waiting (and its change queued) for the
rest of the batch. Here a batch is written as new segments into a sibling folder
(search/engines/whoosh/segment_writer.py; two processes for a large batch), and only then, under the
main lock, its finished segments are moved into the index folder
and listed in a new table of contents: a rename and a small file write, a few
milliseconds. Segments are never rewritten, so nothing is merged either (Whoosh's
default policy merged most of the index into one segment in a single process, a large
part of a big ingest).

Old entries of the batch's articles are looked up before the lock, in the segments
that existed when the batch read the database (they only ever gain deletions), and
marked deleted under it. Entries written meanwhile by another writer (an admin
save) are at least as fresh as the batch's: for those articles the batch's own
entry is dropped instead.
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.conf import settings
from haystack.constants import ID
from whoosh.reading import TermNotFound

from search.engines.whoosh import integrity, segment_writer
from search.engines.whoosh.fileformat import ArchiveFileStorage, codec

logger = logging.getLogger(__name__)

STAGING_SUFFIX = ".staging"
PARALLEL_FROM = settings.ARCHIVE_INDEX_PARALLEL_FROM  # documents; fewer are analysed by one process
# Every commit folds segments of fewer than TINY_SEGMENT documents (single saves) into one
# once MERGE_WHEN of them exist: a merge of at most ~100 documents, well under a second,
# inside an editor's save. Larger ones are merged only by `manage.py compact_index`.
TINY_SEGMENT = 10
MERGE_WHEN = 10


def staging_root(index_path: str) -> Path:
    return Path(f"{os.path.abspath(index_path).rstrip(os.sep)}{STAGING_SUFFIX}")


def remove_abandoned(index_path: str) -> None:
    """Staging folders of processes that are gone (killed mid-batch: their outbox rows are still queued)."""
    root = staging_root(index_path)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def merge_small_segments(writer, segments):
    """Merge policy for every ordinary commit: fold tiny segments (admin saves) into one
    once there are MERGE_WHEN of them; leave the rest alone. Whoosh merges at about the
    speed it indexes: merging even a few small segments kept an editor's save waiting
    seconds."""
    return merge_below(TINY_SEGMENT, MERGE_WHEN)(writer, segments)


def merge_below(documents: int, at_least: int = 2):
    """A merge policy folding every segment of fewer than `documents` documents (deleted ones
    included) into one, when there are at least `at_least` of them."""
    def policy(writer, segments):
        small = [segment for segment in segments if segment.doc_count_all() < documents]
        if len(small) < at_least:
            return segments
        _add_segments(writer, small)
        return [segment for segment in segments if segment not in small]

    return policy


def _add_segments(writer, small) -> None:
    from whoosh.reading import SegmentReader

    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


def old_entries(index, identifiers: list[str]) -> tuple[dict[str, frozenset], dict[str, list[tuple[int, str]]]]:
    """The index's segments now (with the documents each has deleted so far), and the
    (segment-local number, identifier) of the live documents with these identifiers in each."""
    found: dict[str, list[tuple[int, str]]] = {}
    segments: dict[str, frozenset] = {}
    with index.searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if reader.segment() is None:  # an empty index
                continue
            segment_id = reader.segment().segment_id()
            segments[segment_id] = frozenset(reader.segment().deleted_docs())
            docs = []
            for identifier in identifiers:
                try:
                    docs.extend((doc, identifier) for doc in reader.postings(ID, identifier).all_ids())
                except TermNotFound:
                    continue
            if docs:
                found[segment_id] = docs
    return segments, found


def build_segments(backend, documents: Iterable[dict | None], count: int, processes: int = 2,
                   split_when: Callable[[], bool] | None = None) -> tuple[Path, list]:
    """Write the `count` documents as new segments in a staging folder; returns the folder
    and the segments. From PARALLEL_FROM documents, with `processes=2`, two segments are
    built at once by two processes; with one process and `split_when`, the rest of the batch
    is shared with a second process once `split_when()` is true (search/engines/whoosh/segment_writer.py)."""
    folder = staging_root(backend.path) / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    storage = ArchiveFileStorage(str(folder))
    indexname = backend.index.indexname
    try:
        if (processes > 1 or split_when) and count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            built = segment_writer.build_in_two(storage, backend.schema, indexname, codec(), _sequence(documents),
                                          split_when=None if processes > 1 else split_when)
        else:
            built = segment_writer.build(storage, backend.schema, indexname, codec(), documents)
        integrity.record(folder, [segment.segment_id() for segment in built])  # checked from now on
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, built


def _sequence(documents: Iterable[dict | None]) -> Sequence[dict | None]:
    return documents if isinstance(documents, Sequence) else list(documents)


def attach(backend, folder: Path, segments: list, identifiers: list[str], snapshot: dict[str, frozenset],
           old: dict[str, list[tuple[int, str]]], fresh_documents: Callable[[set[str]], list[dict]],
           timeout: float | None) -> None:
    """Under the index lock: delete the batch's old entries, move the staged segments in, commit.

    Articles another writer touched since the snapshot (added, deleted, or merged away with
    their segment) may be newer in the index than in the batch: for those few, the batch's
    copy is dropped and the database is read again (`fresh_documents`), under the lock."""
    kwargs = {} if timeout is None else {"timeout": timeout}
    with backend.writer(**kwargs) as writer:
        current = {segment.segment_id(): segment for segment in writer.segments}
        conflicts = _touched_since(writer, current, snapshot, set(identifiers))
        for segment_id, entries in old.items():
            if segment_id in current:
                for doc, _identifier in entries:
                    current[segment_id].delete_document(doc)
            else:  # merged away meanwhile: wherever those entries went, replace them
                conflicts.update(identifier for _doc, identifier in entries)
        if conflicts:
            from whoosh import query as wq

            writer.delete_by_query(wq.Or([wq.Term(ID, identifier) for identifier in sorted(conflicts)]))
            _drop_from_staged(backend, folder, segments, conflicts)
            for doc in fresh_documents(conflicts):
                writer.add_document(**doc)
        for segment in segments:
            for name in _segment_files(folder, segment):
                os.replace(folder / name, Path(backend.path) / name)
        writer.segments.extend(segments)
        writer.mergetype = no_merge
    shutil.rmtree(folder, ignore_errors=True)


def no_merge(writer, segments):
    return segments


def _touched_since(writer, current: dict, snapshot: dict[str, frozenset], wanted: set[str]) -> set[str]:
    """Identifiers of the batch that a writer added or deleted after the snapshot."""
    from whoosh.reading import SegmentReader

    touched: set[str] = set()
    for segment_id, segment in current.items():
        if segment_id in snapshot:
            newly_deleted = set(segment.deleted_docs()) - snapshot[segment_id]
            if not newly_deleted:
                continue
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            if segment_id in snapshot:
                found = {reader.stored_fields(doc).get(ID) for doc in newly_deleted}
            else:  # written since: every identifier it holds, live or deleted
                found = {raw.decode("utf-8") if isinstance(raw, bytes) else raw for raw in reader.lexicon(ID)}
        finally:
            reader.close()
        touched |= found & wanted
    return touched


def _drop_from_staged(backend, folder: Path, segments: list, identifiers: set[str]) -> None:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    storage = FileStorage(str(folder), supports_mmap=False)
    for segment in segments:
        reader = SegmentReader(storage, backend.schema, segment)
        try:
            for identifier in identifiers:
                try:
                    for doc in reader.postings(ID, identifier).all_ids():
                        segment.delete_document(doc)
                except TermNotFound:
                    continue
        finally:
            reader.close()


def _segment_files(folder: Path, segment) -> list[str]:
    prefix = f"{segment.segment_id()}."
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(prefix))
