"""python manage.py compact_index — merge the index's smaller segments into one.

Every search reads each segment, and every save adds one: ordinary commits fold
only the tiniest together (search/engines/whoosh/staging.py), so that an editor's save never waits
for a large merge. This does the rest, at a quiet time (nightly from cron, or after
a day of editing): segments under `--below` documents are merged in one commit,
under the index lock — saves made meanwhile wait up to SEARCH_COMMIT_FLUSH_TIMEOUT
and otherwise stay queued for the next flush.
"""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from whoosh.index import LockError

from search.backend import WRITER_TIMEOUT, ArchiveWhooshBackend
from search.engines.base import EngineError
from search.engines.whoosh import staging
from search.engines.whoosh.fileformat import segments_of
from search.indexing.outbox import backend


class Command(BaseCommand):
    help = "Merge the search index's segments of fewer than --below documents into one."

    def add_arguments(self, parser):
        parser.add_argument("--below", type=int, default=5000,
                            help="merge segments with fewer documents than this (default 5000)")
        parser.add_argument("--timeout", type=float, default=WRITER_TIMEOUT,
                            help=f"seconds to wait for another index writer (default {WRITER_TIMEOUT:g})")

    def handle(self, *args, **options):
        if options["below"] < 2:
            raise CommandError("--below must be at least 2")
        search_backend = backend()
        if not isinstance(search_backend, ArchiveWhooshBackend):
            self.stdout.write("Nothing to merge: Elasticsearch merges its own segments.")
            return
        started = time.perf_counter()
        try:
            before = segment_sizes(search_backend)
            with search_backend.writer(timeout=options["timeout"]) as writer:
                writer.mergetype = staging.merge_below(options["below"])
        except LockError as exc:
            raise CommandError(f"the index is busy (another writer held it for {options['timeout']:g} s); "
                               "nothing was merged; run it again") from exc
        except EngineError as exc:  # a damaged or missing index: check_index --repair first
            raise CommandError(f"{exc}; nothing was merged") from exc
        after = segment_sizes(search_backend)
        self.stdout.write(f"Segments: {len(before)} before, {len(after)} after "
                          f"({time.perf_counter() - started:.1f} s).")


def segment_sizes(search_backend) -> list[int]:
    """Documents (deleted ones included) of each segment, as merging counts them."""
    if not search_backend.setup_complete:
        search_backend.setup()
    return [segment.doc_count_all() for segment in segments_of(search_backend.index)]
