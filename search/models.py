"""The index outbox: article ids whose index entry must be brought up to date.

Rows are written in the same transaction as the article change, so a
rolled-back save leaves no row and a committed one always has one. The row
says only *which* article; whether to update or delete is read from the
database when the row is processed, so the index always converges to the
database, however late or often a row is processed.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexChange(models.Model):
    article_id = models.BigIntegerField(_("文章 ID"), db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待更新索引")
        verbose_name_plural = _("待更新索引")

    def __str__(self) -> str:
        return f"article {self.article_id}"


class SynonymGroup(models.Model):
    """Words analysts treat as one (集成电路 and 芯片): a query for any of them also searches
    the others, and the results page says so. Edited in the admin."""

    terms = models.JSONField(_("同义词"), default=list, help_text=_("两个或更多词，每行一个，或用“、”分隔。"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")

    def __str__(self) -> str:
        return "、".join(self.terms or [])
