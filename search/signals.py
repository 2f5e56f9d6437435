"""haystack signal processor that feeds the index outbox (see search/indexing.py)."""
from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Article


class OutboxSignalProcessor(BaseSignalProcessor):
    """Queue an index update for every article save or delete, applied after commit."""

    def setup(self) -> None:
        signals.post_save.connect(self.handle_change, sender=Article)
        signals.post_delete.connect(self.handle_change, sender=Article)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.handle_change, sender=Article)
        signals.post_delete.disconnect(self.handle_change, sender=Article)

    def handle_change(self, sender, instance, **kwargs) -> None:
        from search.indexing import enqueue

        enqueue([instance.pk])
