"""A reader's crawl of the public site (``manage.py crawl``).

Starting from ``/`` (or the pages given) it follows, breadth first, every link a reader can click (``<a href>`` on the
same site, outside the admin), as an anonymous reader of one interface language, until it has
fetched the number of pages asked for. It reports what a reader would trip over:

- any answer that is not 200 (a redirect counts: a link should lead straight to its page);
- any listing or search page reached by a link that shows 0 results. Such pages say how many
  results they show in a ``data-result-count`` attribute; such a page with a query string and
  without one is reported too, so the check cannot go blind when a template changes;
- whether the entity index was reached.

Downloads (CSV exports, feeds) are fetched and checked for their status but not parsed. The
crawl is one client, so the CSV export rate limit is lifted while it runs.
"""
from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

#: Routes whose pages list articles and must never be reached by a link and show nothing.
RESULT_ROUTES = ("archive:article_list", "search:search")
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/")
HTML = "text/html"


class LinkParser(HTMLParser):
    """The links a reader can follow, and the page's result count if it states one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.result_count: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        stated = values.get("data-result-count")
        if stated is not None and self.result_count is None and stated.strip().isdigit():
            self.result_count = int(stated)


@dataclass
class CrawlReport:
    pages: int = 0
    seconds: float = 0.0
    by_status: Counter = field(default_factory=Counter)
    by_route: Counter = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (url, what, linked from)
    fetched: set[str] = field(default_factory=set)  # the paths fetched, without their queries
    result_pages: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def same_site_path(href: str, base: str) -> str | None:
    """The path and query a link leads to on this site, or None for other sites and schemes."""
    absolute, _fragment = urldefrag(urljoin(base, href.strip()))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(path: str) -> str:
    """A coarse name for reporting: the path's first segment (``/articles/3/`` → ``articles``)."""
    segment = path.split("?", 1)[0].strip("/").split("/", 1)[0]
    return segment or "home"


def crawl_pages(limit: int, language: str = "zh-hans", start: str | list[str] = "/",
                progress: Callable[[int], None] | None = None) -> CrawlReport:
    """Fetch up to ``limit`` pages breadth first from ``start`` (one page or several, such as a
    few searches a reader would type) and report what a reader meets."""
    starts = [start] if isinstance(start, str) else list(start)
    client = Client(HTTP_HOST="testserver")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    result_paths = {reverse(name) for name in RESULT_ROUTES}
    report = CrawlReport()
    queue: deque[tuple[str, str]] = deque((path, "") for path in starts)
    seen = set(starts)
    began = time.perf_counter()
    with override_settings(ARCHIVE_CSV_EXPORTS_PER_MINUTE=10**9):
        while queue and report.pages < limit:
            path, referrer = queue.popleft()
            for link in visit(client, path, referrer, report, result_paths):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, path))
            if progress and report.pages % 100 == 0:
                progress(report.pages)
    report.seconds = round(time.perf_counter() - began, 1)
    return report


def visit(client: Client, path: str, referrer: str, report: CrawlReport, result_paths: set[str]) -> Iterator[str]:
    """Fetch one page, record what is wrong with it, and yield the links it offers."""
    response = client.get(path)
    report.pages += 1
    report.fetched.add(path.split("?", 1)[0])
    report.by_status[response.status_code] += 1
    report.by_route[route_of(path)] += 1
    if response.status_code != 200:
        report.problems.append((path, f"answered {response.status_code}", referrer))
        return
    if not response.get("Content-Type", "").startswith(HTML) or response.streaming:
        return
    parser = LinkParser()
    parser.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
    if path.split("?", 1)[0] in result_paths:
        report.result_pages += 1
        if parser.result_count is None and "?" in path:
            report.problems.append((path, "states no result count", referrer))
        elif parser.result_count == 0 and referrer:
            report.problems.append((path, "shows 0 results", referrer))
    for href in parser.links:
        link = same_site_path(href, f"http://testserver{path}")
        if link is not None:
            yield link
