"""haystack signal processor that feeds the index outbox (see search/indexing/outbox.py)."""
from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Article, ArticleEntity, ArticleIndustry, Entity, Industry
from archive.signals import articles_created
from search.indexing.outbox import enqueue


class OutboxSignalProcessor(BaseSignalProcessor):
    """Queue an index update for every change that alters an article's index entry.

    An article save or delete queues that article; an editor's change to its
    tags, or a rename of an entity or industry, queues the articles concerned.
    The queue is applied after commit."""

    def setup(self) -> None:
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(self.article_changed, sender=Article)
            signal.connect(self.link_changed, sender=ArticleEntity)
            signal.connect(self.link_changed, sender=ArticleIndustry)
        signals.post_save.connect(self.entity_changed, sender=Entity)
        signals.post_save.connect(self.industry_changed, sender=Industry)
        articles_created.connect(self.articles_created, sender=Article)

    def teardown(self) -> None:
        for signal in (signals.post_save, signals.post_delete):
            signal.disconnect(self.article_changed, sender=Article)
            signal.disconnect(self.link_changed, sender=ArticleEntity)
            signal.disconnect(self.link_changed, sender=ArticleIndustry)
        signals.post_save.disconnect(self.entity_changed, sender=Entity)
        signals.post_save.disconnect(self.industry_changed, sender=Industry)
        articles_created.disconnect(self.articles_created, sender=Article)

    @staticmethod
    def _enqueue(ids) -> None:
        ids = list(ids)
        if ids:
            enqueue(ids)

    def article_changed(self, sender, instance, **kwargs) -> None:
        self._enqueue([instance.pk])

    def articles_created(self, sender, articles, **kwargs) -> None:
        self._enqueue(article.pk for article in articles)

    def link_changed(self, sender, instance, **kwargs) -> None:
        self._enqueue([instance.article_id])

    def entity_changed(self, sender, instance, created=False, **kwargs) -> None:
        if not created:
            self._enqueue(instance.article_links.values_list("article_id", flat=True))

    def industry_changed(self, sender, instance, created=False, **kwargs) -> None:
        if not created:
            self._enqueue(instance.article_links.values_list("article_id", flat=True))
