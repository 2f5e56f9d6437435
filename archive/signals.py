"""Signals of the archive's own, for what Django's model signals do not cover.

The archive loads and announces; whoever keeps a copy of the articles (the search index:
search/indexing/bulk_load.py) listens. The archive never calls the index itself.
"""
from django.dispatch import Signal

#: Sent after articles were created by one bulk insert (which sends no post_save), with
#: ``articles``: the saved instances, ids set. The search outbox queues them (search/signals.py).
articles_created = Signal()

#: Sent inside the transaction that changed these articles in bulk, with ``ids``.
articles_changed = Signal()

#: A bulk load begins (``manage.py ingest``, ``extract_entities``): listeners may defer their
#: per-save work until the load says it is ready. ``alongside``: whether the listener may
#: work beside the loading, in another process, as it goes.
bulk_load_started = Signal()

#: A bulk load committed another piece (a file, a batch of articles). ``settle``: bring
#: everything up to date now rather than when convenient.
bulk_load_progressed = Signal()

#: A bulk load ended; ``completed`` is False when it stopped on an error. Receivers return a
#: line for the command's verbose output, or None.
bulk_load_finished = Signal()
