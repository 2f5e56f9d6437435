"""What the search index holds for each article.

Text fields are analysed by the project's own Chinese pipeline (see
search/backend.py for how each field type maps to a Whoosh field); keyword
fields carry the facet and filter values.
"""
from __future__ import annotations

import datetime

from django.db.models import Prefetch
from haystack import indexes

from archive.models import Article, ArticleEntity, ArticleIndustry


class KeywordField(indexes.CharField):
    """An exact value for filters and facet counts (city, publication, …)."""

    field_type = "keyword"


class CharsField(indexes.CharField):
    """The text again, as the ideographs it holds: one-character queries."""

    field_type = "chars"


class GramsField(indexes.CharField):
    """The text again, as pairs of adjacent ideographs at their offsets: substring matching."""

    field_type = "grams"


def searchable_text(article: Article) -> str:
    return "\n".join(part for part in (article.kicker, article.headline, article.subheadline, article.body) if part)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    headline = indexes.CharField()
    byline = indexes.CharField()
    chars = CharsField()
    grams = GramsField()
    city = KeywordField(model_attr="city", default="")
    district = KeywordField(model_attr="district", default="")
    publication = KeywordField()
    kind = KeywordField(model_attr="kind")
    year = KeywordField()
    date = indexes.DateTimeField(null=True)
    story = KeywordField(model_attr="story_key", default="")
    industry = indexes.MultiValueField()
    company = indexes.MultiValueField()
    person = indexes.MultiValueField()
    place = indexes.MultiValueField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # The links are fetched with their entity/industry joined in: a separate prefetch of
        # those foreign keys becomes `id = 1 OR id = 2 OR …` on Django 5.2, which SQLite refuses
        # beyond ~1,000 distinct entities in a batch ("Expression tree is too large"). In the
        # links' own order: the document (and its fingerprint) must not depend on the query plan,
        # which on PostgreSQL returns them in another order for a batch than for one article.
        return Article.objects.for_listing().prefetch_related(
            Prefetch("entity_links", queryset=ArticleEntity.objects.select_related("entity").order_by("pk")),
            Prefetch("industry_links", queryset=ArticleIndustry.objects.select_related("industry").order_by("pk")),
        ).order_by("pk")

    def prepare_industry(self, article: Article) -> list[str]:
        return [link.industry.name for link in article.industry_links.all() if not link.removed]

    def _entities(self, article: Article, kind: str) -> list[str]:
        return [link.entity.name for link in article.entity_links.all()
                if link.entity.kind == kind and not link.removed]

    def prepare_company(self, article: Article) -> list[str]:
        return self._entities(article, "company")

    def prepare_person(self, article: Article) -> list[str]:
        return self._entities(article, "person")

    def prepare_place(self, article: Article) -> list[str]:
        return self._entities(article, "place")

    def prepare_text(self, article: Article) -> str:
        return searchable_text(article)

    def prepare_chars(self, article: Article) -> str:
        return searchable_text(article)

    def prepare_grams(self, article: Article) -> str:
        return searchable_text(article)

    def prepare_headline(self, article: Article) -> str:
        return " ".join(part for part in (article.kicker, article.headline, article.subheadline) if part)

    def prepare_byline(self, article: Article) -> str:
        return " ".join(article.bylines or [])

    def prepare_publication(self, article: Article) -> str:
        return article.section.publication.name

    def prepare_year(self, article: Article) -> str:
        return str(article.date.year) if article.date else ""

    def prepare_date(self, article: Article) -> datetime.datetime | None:
        if article.date is None:
            return None
        return datetime.datetime.combine(article.date, datetime.time())
