"""Tiny helpers that create archive rows directly, independent of the ingest code."""
from __future__ import annotations

import datetime
import hashlib
import itertools
from typing import Any

from archive.models import Article, DatePrecision, Publication, Section

_counter = itertools.count(1)


def make_publication(name: str | None = None, **fields: Any) -> Publication:
    """A publication with the given fields; a listed outlet of that name (the initial outlet
    list is loaded by a migration) takes them on."""
    defaults = {"city": "常州", "medium": Publication.Medium.PRINT}
    publication, _ = Publication.objects.update_or_create(
        name=name or f"测试日报{next(_counter)}", defaults={**defaults, **fields})
    return publication


def make_section(publication: Publication | None = None, **fields: Any) -> Section:
    raw_text = fields.pop("raw_text", "## 标题\n\n正文第一段。\n")
    defaults = {
        "source_name": f"source_{next(_counter):04d}.txt",
        "content_hash": hashlib.sha256(raw_text.encode()).hexdigest(),
        "encoding": "utf-8",
        "issue_date": datetime.date(2024, 5, 1),
        "issue_date_precision": DatePrecision.DAY,
        "page_label": "A1",
    }
    return Section.objects.create(
        publication=publication or make_publication(), raw_text=raw_text, **{**defaults, **fields}
    )


def make_article(section: Section | None = None, **fields: Any) -> Article:
    """An article on `section` (a new one if omitted), appended after its last position."""
    section = section or make_section()
    position = fields.pop("position", None) or section.articles.count() + 1
    defaults = {
        "headline": f"测试标题{next(_counter)}",
        "body": "第一段。\n第二段。",
        "city": section.publication.city,
        "date": section.issue_date,
        "date_precision": DatePrecision.DAY,
        "kind": Article.Kind.TEXT,
    }
    return Article.objects.create(section=section, position=position, **{**defaults, **fields})
