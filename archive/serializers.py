"""JSON shapes of articles, shared by the archive API and the search API.

Callers must fetch articles with `Article.objects.for_listing()` (or an
equivalent select_related) so serialising a page costs no extra queries.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Page

from archive.entities import other_copies
from archive.models import Article


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _bylines(value: Any) -> list[str]:
    # Stored as JSON: guard against anything that is not a list of names.
    return [str(name) for name in value] if isinstance(value, list) else []


def serialize_article(article: Article) -> dict[str, Any]:
    """The fields every listing entry carries."""
    section = article.section
    return {
        "id": article.pk,
        "url": article.get_absolute_url(),
        "headline": article.headline,
        "headline_derived": article.headline_derived,
        "kicker": article.kicker,
        "subheadline": article.subheadline,
        "bylines": _bylines(article.bylines),
        "kind": article.kind,
        "publication": section.publication.name,
        "city": article.city,
        "district": article.district,
        "date": _iso(article.date),
        "date_precision": article.date_precision,
        "date_year_inferred": article.date_year_inferred,
        "issue_date": _iso(section.issue_date),
        "host": section.host,
        "script": article.script,
        "source": section.source_name,
    }


def serialize_article_detail(article: Article) -> dict[str, Any]:
    """A listing entry plus the full text, its origin, and what it names."""
    links = [link for link in article.entity_links.select_related("entity") if not link.removed]

    def entities(kind: str) -> list[dict[str, Any]]:
        return [{"name": link.entity.name, "aliases": link.entity.aliases, "role": link.role, "id": link.entity_id}
                for link in links if link.entity.kind == kind]

    industries = article.industry_links.select_related("industry").filter(removed=False)
    return {
        **serialize_article(article),
        "body": "\n".join(article.paragraphs),
        "origin": article.origin,
        "companies": entities("company"),
        "people": entities("person"),
        "places": entities("place"),
        "industries": [{"name": link.industry.name, "id": link.industry_id} for link in industries],
        "also_in": [
            {"id": other.pk, "url": other.get_absolute_url(), "publication": other.section.publication.name}
            for other in other_copies(article)
        ],
    }


def serialize_page(
    page: Page, serialize: Callable[[Any], dict[str, Any]] = serialize_article
) -> dict[str, Any]:
    """The paginated envelope: {"count", "page", "num_pages", "results"}."""
    return {
        "count": page.paginator.count,
        "page": page.number,
        "num_pages": page.paginator.num_pages,
        "results": serialize_many(page.object_list, serialize),
    }


def serialize_many(
    items: Iterable[Any], serialize: Callable[[Any], dict[str, Any]] = serialize_article
) -> list[dict[str, Any]]:
    return [serialize(item) for item in items]
