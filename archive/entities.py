"""What the entity and industry pages show: an entity's articles over time,
its coverage by city and month, and what is most often reported with it."""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from archive.models import Article, ArticleEntity, ArticleIndustry, Entity, Industry


def entity_articles(entity: Entity) -> QuerySet[Article]:
    ids = ArticleEntity.objects.filter(entity=entity, removed=False).values("article_id")
    return Article.objects.filter(pk__in=ids)


def industry_articles(industry: Industry) -> QuerySet[Article]:
    ids = ArticleIndustry.objects.filter(industry=industry, removed=False).values("article_id")
    return Article.objects.filter(pk__in=ids)


@dataclass
class CityTimeline:
    """Articles per month, split by city: rows of (first day of the month, {city: count}, total);
    an article without a city counts under ""."""

    cities: list[str]
    rows: list[tuple[datetime.date, dict[str, int], int]]

    @property
    def peak(self) -> int:
        return max((total for _, _, total in self.rows), default=0)


def city_timeline(articles: QuerySet[Article]) -> CityTimeline:
    counts = (
        articles.exclude(date=None).annotate(month=TruncMonth("date"))
        .values("month", "city").annotate(n=Count("id")).order_by("month")
    )
    by_month: dict[datetime.date, Counter] = defaultdict(Counter)
    city_totals: Counter = Counter()
    for row in counts:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        city = row["city"] or ""
        by_month[month][city] += row["n"]
        city_totals[city] += row["n"]
    cities = [city for city, _ in city_totals.most_common()]
    rows = [(month, dict(counter), sum(counter.values())) for month, counter in sorted(by_month.items())]
    return CityTimeline(cities=cities, rows=rows)


def reported_with(articles: QuerySet[Article], exclude: Entity | None = None, limit: int = 10,
                  exclude_industry: Industry | None = None) -> dict[str, list]:
    """The entities and industries most often in the same articles, by kind; the page's own
    entity or industry is left out."""
    ids = articles.values("pk")
    links = ArticleEntity.objects.filter(article_id__in=ids, removed=False)
    if exclude is not None:
        links = links.exclude(entity=exclude)
    top = (
        links.values("entity__pk", "entity__name", "entity__kind")
        .annotate(n=Count("article", distinct=True)).order_by("-n", "entity__name")
    )
    grouped: dict[str, list] = {kind: [] for kind in Entity.Kind.values}
    for row in top:
        bucket = grouped[row["entity__kind"]]
        if len(bucket) < limit:
            bucket.append((row["entity__pk"], row["entity__name"], row["n"]))
    industry_links = ArticleIndustry.objects.filter(article_id__in=ids, removed=False)
    if exclude_industry is not None:
        industry_links = industry_links.exclude(industry=exclude_industry)
    grouped["industry"] = [
        (row["industry__pk"], row["industry__name"], row["n"])
        for row in industry_links
        .values("industry__pk", "industry__name").annotate(n=Count("article", distinct=True))
        .order_by("-n", "industry__name")[:limit]
    ]
    return grouped


def article_tags(article: Article) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(label, [(url, name, role)]) for the article page: industries, companies, people, places."""
    industries = [(link.industry.get_absolute_url(), link.industry.name, "")
                  for link in article.industry_links.select_related("industry").filter(removed=False)]
    by_kind: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in Entity.Kind.values}
    for link in article.entity_links.select_related("entity").filter(removed=False).order_by("pk"):
        by_kind[link.entity.kind].append((link.entity.get_absolute_url(), link.entity.name, link.role))
    labels = dict(Entity.Kind.choices)
    return [(_("产业"), industries)] + [(str(labels[kind]), rows) for kind, rows in by_kind.items()]


def other_copies(article: Article) -> list[Article]:
    """The same story in other papers or scripts."""
    if not article.story_key:
        return []
    return list(Article.objects.for_listing().filter(story_key=article.story_key).exclude(pk=article.pk))
