"""Citations in the form of GB/T 7714-2015 (信息与文献 参考文献著录规则).

Newspaper article (报纸析出文献, type [N]):
    主要责任者. 题名: 其他题名信息[N]. 报纸名, 出版日期(版次).
    e.g. 朱梦琪. 盛蕾走访调研我区化合物半导体产业重点企业[N]. 武进日报, 2024-10-31(A1).
Web page (电子公告/网页, type [EB/OL]):
    主要责任者. 题名[EB/OL]. (发布日期)[引用日期]. 获取和访问路径.

At most three authors are named, then “, 等”. The access path of a web page is
the archive's permalink (the archive keeps the page; its original address is
not recorded). Text is cited as published, never converted.
"""
from __future__ import annotations

import datetime

from archive.models import Article, DatePrecision, Publication

MAX_AUTHORS = 3


def format_date(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def authors(names: list[str]) -> str:
    names = [str(name).strip() for name in names or [] if str(name).strip()]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:MAX_AUTHORS]) + ", 等"
    return ", ".join(names)


def title(article: Article) -> str:
    text = article.headline.strip()
    if article.subheadline.strip():
        text += ": " + article.subheadline.strip().lstrip("—-— ").strip()  # noqa: B005 - a set of dashes
    return text


def gbt7714(article: Article, permalink: str, accessed: datetime.date | None = None) -> str:
    """The reference entry for `article`; `permalink` is its absolute archive URL."""
    section = article.section
    publication = section.publication
    who = authors(article.bylines if isinstance(article.bylines, list) else [])
    lead = f"{who}. " if who else ""
    if publication.medium == Publication.Medium.WEB:
        published = format_date(article.date, article.date_precision) or format_date(
            section.issue_date, section.issue_date_precision
        )
        accessed = accessed or datetime.date.today()
        dates = (f"({published})" if published else "") + f"[{accessed.isoformat()}]"
        return f"{lead}{title(article)}[EB/OL]. {dates}. {permalink}."
    issued = format_date(section.issue_date, section.issue_date_precision) or format_date(
        article.date, article.date_precision
    )
    where = publication.name + (f", {issued}" if issued else "")
    page = f"({section.page_label})" if section.page_label else ""
    return f"{lead}{title(article)}[N]. {where}{page}."
