"""The main pages in a real browser at a desktop width (1366 px) and a phone width (390 px), in
Chinese and English: axe-core finds no accessibility violation, a screenshot of each is saved
($ARCHIVE_SCREENSHOT_DIR, see tests/test_browser.py), and at the phone width the layout holds
(nothing wider than the screen, tap targets of 24 px or more, chart labels of 11 px or more, the
article's text right under its headline).

One browser for the module and one test per width; each page is loaded once per language.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import Count

from archive.models import Article, Entity, Industry
from tests.test_browser import LEAD_001, archive, browser, pytestmark  # noqa: F401  (fixtures, marks)

PHONE, DESKTOP = 390, 1366
MIN_TAP_PX = 24
MIN_CHART_LABEL_PX = 11
MAX_BODY_GAP_PX = 160  # between the headline's bottom and the text's top on a phone (a subheadline + one line)
# Links and buttons that stand alone (not inside running text) and must be easy to tap.
TAP_TARGETS = (".site-nav a, .pagination a, .pager a, .chip, .facet a, .script-switch a, "
               ".language-switch button, .footer-links a")
AXE = Axe()


def main_pages() -> list[tuple[str, str]]:
    article = Article.objects.get(headline=LEAD_001).get_absolute_url()
    entity = Entity.objects.annotate(n=Count("article_links")).order_by("-n", "pk").first()
    industry = Industry.objects.annotate(n=Count("article_links")).order_by("-n", "pk").first()
    return [
        ("home", "/"),
        ("listing", "/articles/"),
        ("listing-filtered", "/articles/?city=%E5%B8%B8%E5%B7%9E&year=2024"),
        ("search", "/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93"),
        ("article", article),
        ("article-hant", article + "?script=hant"),
        ("browse-dates", "/browse/dates/"),
        ("browse-year", "/browse/dates/2024/"),
        ("browse-month", "/browse/dates/2024/10/"),
        ("browse-places", "/browse/places/"),
        ("browse-publications", "/browse/publications/"),
        ("entities", "/entities/"),
        ("entity", f"/entities/{entity.pk}/"),
        ("industry", f"/industries/{industry.pk}/"),
        ("compare", "/compare/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93&q=%E8%8A%AF%E7%89%87"),
        ("feed", "/articles/feed/"),
    ]


def axe_violations(page, name: str) -> list[str]:
    # Chromium puts its own notice (that XSLT is going away) above a feed styled by XSLT, outside
    # any landmark; it is not the archive's, so it goes before the check.
    page.evaluate("document.querySelector('xslt-warning-banner')?.remove()")
    results = AXE.run(page)
    return [f"{name} {page.url}: {violation['id']} ({violation['impact']}) "
            + json.dumps([node["target"] for node in violation["nodes"][:5]], ensure_ascii=False)
            for violation in results.response["violations"]]


def phone_layout_problems(page, name: str) -> list[str]:
    problems = []
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        problems.append(f"{name}: page {overflow[0]} px wide on a {overflow[1]} px screen")
    small = page.evaluate("""([selector, minimum]) => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length)
        .map(e => [e.textContent.trim(), e.getBoundingClientRect().height]).filter(([, h]) => h < minimum)""",
                          [TAP_TARGETS, MIN_TAP_PX])
    problems += [f"{name}: tap target “{text}” {height:.1f} px high" for text, height in small]
    labels = page.evaluate("""() => [...document.querySelectorAll('svg.chart-svg text')]
        .filter(t => getComputedStyle(t).display !== 'none')
        .map(t => { const svg = t.ownerSVGElement;
                    return [t.textContent, parseFloat(getComputedStyle(t).fontSize)
                            * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width]; })""")
    problems += [f"{name}: chart label “{text}” drawn at {size:.1f} px" for text, size in labels
                 if size < MIN_CHART_LABEL_PX]
    if name.startswith("article"):
        gap = page.evaluate("document.querySelector('.body').getBoundingClientRect().top"
                            " - document.querySelector('h1').getBoundingClientRect().bottom")
        if gap > MAX_BODY_GAP_PX:
            problems.append(f"{name}: the text starts {gap:.0f} px below the headline")
    return problems


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_main_pages_are_accessible_and_fit_the_screen(browser, archive, screenshot_dir: Path, settings, width):  # noqa: F811
    settings.ARCHIVE_PAGE_SIZE = 5  # the listings get pagination links to measure
    pages = main_pages()
    problems: list[str] = []
    measured = {"charts": 0, "pagination": 0}
    for language in ("zh-hans", "en"):
        context = browser.new_context(base_url=archive.url, viewport={"width": width, "height": 900})
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": archive.url}])
        context.set_default_timeout(10_000)
        page = context.new_page()
        for name, path in pages:
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            if name == "feed":  # shown through its stylesheet, not as raw XML
                assert page.locator("h1").inner_text() == page.title() != ""
                assert page.locator("li.article-item a.headline").count() == Article.objects.count()
            else:
                assert page.locator("html").get_attribute("lang") == language
            page.screenshot(path=str(screenshot_dir / f"a11y-{width}-{language}-{name}.png"), full_page=True)
            problems += axe_violations(page, f"{language} {name}")
            if width == PHONE:
                problems += phone_layout_problems(page, f"{language} {name}")
                measured["charts"] += page.locator("svg.chart-svg").count()
                measured["pagination"] += page.locator(".pagination a").count()
        context.close()
    assert problems == []
    if width == PHONE:
        assert measured["charts"] >= 6 and measured["pagination"] >= 2, measured  # the checks above saw something


def test_chart_bars_are_named_links_and_the_article_details_fold_on_a_phone(browser, archive):  # noqa: F811
    context = browser.new_context(base_url=archive.url, viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    page.goto("/")
    bar = page.get_by_role("group", name="每月文章数").get_by_role("link").first
    assert re.fullmatch(r"\d{4}-\d{2} · \S+ \d+ 篇", bar.get_attribute("aria-label"))
    bar.focus()
    assert page.evaluate("getComputedStyle(document.activeElement.querySelector('rect')).strokeWidth") == "3px"

    page.goto(Article.objects.get(headline=LEAD_001).get_absolute_url())
    details = page.locator("details.metadata-details")
    assert details.get_attribute("open") is None and not page.locator(".metadata").is_visible()
    assert "武进日报 · 2024年10月30日 · 常州 武进区" in page.locator("details.metadata-details summary").inner_text()
    page.locator("details.metadata-details summary").click()
    assert page.locator(".metadata").is_visible()
    context.close()

    wide = browser.new_context(base_url=archive.url, viewport={"width": DESKTOP, "height": 900})
    page = wide.new_page()
    page.goto(Article.objects.get(headline=LEAD_001).get_absolute_url())
    assert page.locator(".metadata").is_visible()  # open at once on a wide screen
    wide.close()
