"""Real-browser tests: Debian's headless Chromium (/usr/bin/chromium) driven by
Playwright for Python against pytest-django's live server.

Part of the default run (and of CI); skipped, with the reason, only when
Chromium is not installed. Playwright's own browser downloads are never used.
Screenshots of the main pages are saved in the folder printed at the end of
the run ($ARCHIVE_SCREENSHOT_DIR, default <tmp>/archive-screenshots).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from archive.extract.taxonomy import INITIAL_TAXONOMY
from archive.models import Industry
from tests.test_compare import build_corpus

CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium chromium-driver)"),
    pytest.mark.django_db(transaction=True),
]

MOORE = "摩尔线程系统级产品研发总部签约 一批生态企业同步落户"
WEB_002 = "區領導調研芯片產業相關企業"
LEAD_001 = "盛蕾走访调研我区化合物半导体产业重点企业"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # (used by the tests between page actions) must be allowed to run beside it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def archive(live_server):
    restore_taxonomy()
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), verbosity=0)
    return live_server


def restore_taxonomy() -> None:
    """The industries come from a data migration, which the flush after a live-server test empties."""
    for order, (name, keywords) in enumerate(INITIAL_TAXONOMY):
        Industry.objects.get_or_create(name=name, defaults={"keywords": "\n".join(keywords), "order": order})


@pytest.fixture
def page(browser, archive):
    context = browser.new_context(
        base_url=archive.url, locale="en-US", viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def shot(page, screenshot_dir: Path, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=full_page)


def test_search_filter_chip_article_and_script_switch(page, screenshot_dir):
    page.goto("/")
    # An English browser still gets the Chinese UI by default.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    bars = page.locator("svg.chart-svg rect.chart-bar")
    assert bars.count() > 0 and bars.first.bounding_box()["width"] > 5  # drawn, not collapsed by CSS
    shot(page, screenshot_dir, "01-home")

    page.fill("#home-search", "半导体")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    count_text = page.locator(".result-count").inner_text()
    total = int(re.search(r"共找到 (\d+) 篇", count_text).group(1))
    assert total >= 5
    assert page.title().startswith("“半导体” —") or page.title().startswith("“半导体”")
    assert page.locator(".timeline svg rect.chart-bar").count() > 0
    shot(page, screenshot_dir, "02-search")

    # Apply a filter from the facets: a chip appears and the results narrow.
    page.locator('[data-facet="city"] a', has_text="无锡").click()
    page.wait_for_url(re.compile(r"city="))
    chip = page.locator("a.chip", has_text="城市:无锡")
    assert chip.count() == 1
    narrowed = int(re.search(r"共找到 (\d+) 篇", page.locator(".result-count").inner_text()).group(1))
    assert 0 < narrowed < total
    assert "城市:无锡" in page.title()
    shot(page, screenshot_dir, "03-search-filtered")

    # Remove it again.
    chip.click()
    page.wait_for_url(lambda url: "city=" not in url)
    assert page.locator("a.chip", has_text="城市:无锡").count() == 0
    assert int(re.search(r"共找到 (\d+) 篇", page.locator(".result-count").inner_text()).group(1)) == total

    # Open an article.
    page.locator("ol.results a.headline", has_text=LEAD_001).click()
    page.wait_for_url(re.compile(r"/articles/\d+/\?q="))  # the link carries the query: its words are marked
    assert page.locator("h1").inner_text() == LEAD_001
    assert page.locator(".body mark").count() > 0 and page.locator(".marked-note").is_visible()
    assert page.locator(".citation-text").inner_text() == (
        f"韩晖, 黄雅婷. {LEAD_001}: 积极抢占新质生产力新赛道 壮大高质量发展核心竞争力[N]. 武进日报, 2024-10-31.")
    shot(page, screenshot_dir, "04-article")

    # Copy the citation.
    page.click(".copy-button")
    page.wait_for_function("document.querySelector('.copy-button').classList.contains('copied')")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator(".citation-text").inner_text()

    # The raw source, with this article marked.
    page.click("details.source summary")
    mark = page.locator("details.source mark#source-mark")
    assert mark.is_visible() and LEAD_001 in mark.inner_text()
    mark.scroll_into_view_if_needed()
    shot(page, screenshot_dir, "05-article-source", full_page=False)

    # 简/繁: the article is shown in Traditional characters; the choice sticks.
    page.click('.script-switch a[data-script="hant"]')
    page.wait_for_url(re.compile(r"script=hant"))
    assert page.locator("h1").inner_text() == "盛蕾走訪調研我區化合物半導體產業重點企業"
    assert page.locator('.script-switch a.active').inner_text() == "繁"
    shot(page, screenshot_dir, "06-article-hant")
    page.goto("/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93")
    assert page.locator("ol.results a.headline", has_text="盛蕾走訪調研我區化合物半導體產業重點企業").count() == 1
    page.click('.script-switch a[data-script="hans"]')
    page.wait_for_url(re.compile(r"script=hans"))
    assert page.locator("ol.results a.headline", has_text="区领导调研芯片产业相关企业").count() == 1
    page.click('.script-switch a[data-script="orig"]')
    assert page.locator("ol.results a.headline", has_text=WEB_002).count() == 1


def test_admin_edit_is_found_by_search(page, screenshot_dir):
    from django.contrib.auth import get_user_model

    from archive.models import Article

    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    article = Article.objects.get(headline=MOORE)
    new_headline = "摩尔线程无锡研发总部量子计算实验室揭牌"

    page.goto("/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click('input[type="submit"]')
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/archive/article/{article.pk}/change/")
    page.fill("#id_headline", new_headline)
    shot(page, screenshot_dir, "07-admin-edit", full_page=False)
    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/archive/article/$"))
    assert page.locator(".messagelist").count() == 1

    page.goto("/search/?q=" + "量子计算")
    results = page.locator("ol.results a.headline")
    assert results.count() == 1
    assert results.first.inner_text() == new_headline
    assert page.locator("ol.results a.headline mark").first.inner_text() == "量子计算"
    shot(page, screenshot_dir, "08-search-after-edit")
    assert Article.objects.get(pk=article.pk).edited


def test_admin_bylines_are_typed_as_a_list(page, screenshot_dir):
    """The admin in Chinese: bylines typed as 、-separated names or one per line, a bad list
    refused with its message and nothing of it lost, at a desktop's and a phone's width."""
    from django.contrib.auth import get_user_model

    from archive.models import Article

    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    article = Article.objects.get(headline=MOORE)
    page.goto("/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click('input[type="submit"]')
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#site-name").inner_text() == "产业新闻档案管理"
    page.goto(f"/admin/archive/article/{article.pk}/change/")
    assert page.locator('label[for="id_bylines"]').inner_text().startswith("署名")

    too_long = "长" * 51
    page.fill("#id_bylines", f"高美梅、{too_long}")
    page.click('input[name="_save"]')
    assert "每项最多 50 个字" in page.locator(".errorlist").first.inner_text()
    assert page.input_value("#id_bylines") == f"高美梅、{too_long}"  # what was typed stays
    assert Article.objects.get(pk=article.pk).bylines != ["高美梅", too_long]

    page.fill("#id_bylines", "高美梅、张三")
    for width, name in ((1366, "30-admin-bylines-1366"), (390, "31-admin-bylines-390")):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, screenshot_dir, name)
    page.click('input[name="_save"]')
    page.wait_for_url(re.compile(r"/admin/archive/article/$"))
    assert Article.objects.get(pk=article.pk).bylines == ["高美梅", "张三"]
    page.goto(f"/admin/archive/article/{article.pk}/change/")
    assert page.input_value("#id_bylines") == "高美梅\n张三"  # shown one per line


def test_browsing_pages_and_english(page, screenshot_dir):
    from archive.models import Publication

    page.goto("/articles/?city=%E5%B8%B8%E5%B7%9E")
    assert page.locator("a.chip", has_text="城市:常州").count() == 1
    assert page.locator('link[rel="alternate"]').get_attribute("href") == "/articles/feed/?city=%E5%B8%B8%E5%B7%9E"
    shot(page, screenshot_dir, "09a-listing")

    page.goto("/browse/places/")
    assert page.locator(".place-tree .city").count() == 2
    shot(page, screenshot_dir, "09-browse-places")

    page.goto("/browse/dates/")
    page.locator(".year-table a", has_text="2024年").click()
    page.wait_for_url(re.compile(r"/browse/dates/2024/$"))
    assert page.locator("table.calendar").count() == 12
    shot(page, screenshot_dir, "10-browse-year")
    page.locator("table.calendar caption a", has_text="10月").click()
    page.wait_for_url(re.compile(r"/browse/dates/2024/10/$"))
    shot(page, screenshot_dir, "11-browse-month")
    page.locator("td.has-articles a").first.click()
    page.wait_for_url(re.compile(r"day="))
    assert page.locator("ul.article-list li").count() >= 1
    assert page.locator("a.chip", has_text="日:").count() == 1

    publication = Publication.objects.get(name="武进日报")
    page.goto(f"/browse/publications/{publication.pk}/")
    shot(page, screenshot_dir, "12-browse-publication")
    page.locator("table.data-table a").first.click()
    page.wait_for_url(re.compile(r"/browse/publications/\d+/\d{4}-\d{2}-\d{2}/$"))
    shot(page, screenshot_dir, "13-browse-issue")

    page.goto("/no-such-page/")
    assert "页面不存在" in page.locator("h1").inner_text()
    shot(page, screenshot_dir, "14-not-found", full_page=False)

    # Switch the UI to English and back.
    page.goto("/")
    page.click('.language-switch button[value="en"]')
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2", has_text="Latest articles").count() == 1
    shot(page, screenshot_dir, "15-home-english")
    page.click('.language-switch button[value="zh-hans"]')
    page.wait_for_load_state()
    assert page.locator("h2", has_text="最新文章").count() == 1

    # The page's feed and search description are discoverable.
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1
    assert page.locator('link[rel="search"][type="application/opensearchdescription+xml"]').count() == 1


def test_main_pages_pass_the_content_security_policy(page):
    """No inline script or style anywhere: the browser reports no violation on the pages with the
    most moving parts (the charts' legends and bars, the copy button, the admin)."""
    from django.db.models import Count

    from archive.models import Entity

    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    entity = Entity.objects.annotate(n=Count("article_links")).order_by("-n", "pk").first()
    pages = ["/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93", f"/entities/{entity.pk}/", "/", "/admin/login/"]
    for path in pages:
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        if path.startswith("/search/"):
            swatch = page.locator(".legend .swatch").first
            assert swatch.bounding_box()["width"] > 5  # the legend's colours, drawn without an inline style
        if path.startswith("/entities/"):
            # The bars' lengths come from classes (w0 … w20), not inline styles: longer class, longer bar.
            bars = page.evaluate("[...document.querySelectorAll('.timeline-table .bar')].map("
                                 "bar => [parseInt(bar.className.match(/w(\\d+)/)[1]), bar.getBoundingClientRect().width])")
            assert any(step == 20 for step, _ in bars)
            assert [width for _, width in sorted(bars)] == sorted(width for _, width in bars)
    assert violations == []


def test_compare_page_chart_png_download_and_phone_width(browser, live_server, screenshot_dir):
    """From the search page to a comparison: the chart is drawn, the PNG download is a real PNG
    of it (made in the page from the SVG), no policy is violated, and at 390 px the page does not
    scroll sideways (the table scrolls inside its own box)."""
    build_corpus()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    page.goto("/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93")
    page.click("a.compare-link")
    page.wait_for_url(re.compile(r"/compare/\?q="))
    assert page.input_value("#compare-q1") == "半导体"
    page.fill("#compare-q2", "新能源汽车")
    page.fill("#compare-q3", "充电桩")
    page.click(".compare-form button[type=submit]")
    page.wait_for_selector("#compare-chart")
    assert page.locator("#compare-chart g.series").count() == 3
    assert page.locator("#compare-chart").bounding_box()["width"] > 600
    assert page.locator(".compare-table tbody tr").count() == 9
    shot(page, screenshot_dir, "20-compare-1366")

    with page.expect_download() as download_info:
        page.click(".png-button")
    download = download_info.value
    assert re.fullmatch(r"compare-半导体-新能源汽车-充电桩-\d{4}-\d\d-\d\d\.png", download.suggested_filename)
    png = Path(download.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1440, 640)  # IHDR: 2 × 720×320
    (screenshot_dir / "22-compare-download.png").write_bytes(png)  # the downloaded file itself, to look at

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#compare-chart")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroller = page.locator(".table-scroll")
    assert scroller.bounding_box()["width"] <= 390
    assert page.evaluate("getComputedStyle(document.querySelector('.table-scroll')).overflowX") == "auto"
    shot(page, screenshot_dir, "21-compare-390")
    assert violations == []
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_filter_panel_counts_and_a_choice_narrows(page, width):
    """The shared filter panel: counts shown, a choice narrows the listing, the form sends only
    filled fields; on a phone it is folded above the results and the search page has one box."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/articles/")
    panel, results = page.locator("#filter-panel"), page.locator(".main-column")
    if width <= 600:
        assert panel.get_attribute("open") is None and panel.bounding_box()["y"] < results.bounding_box()["y"]
        page.locator("#filter-panel > summary").click()
    else:
        assert panel.bounding_box()["x"] > results.bounding_box()["x"]  # beside the results
    wuxi = page.locator('[data-facet="city"] li', has_text="无锡")
    assert wuxi.locator(".count").inner_text() == "3 篇文章"
    wuxi.locator("a").click()
    page.wait_for_url(re.compile(r"city="))
    assert results.get_attribute("data-result-count") == "3"
    if width <= 600:
        page.locator("#filter-panel > summary").click()
    page.fill("#filter-date-from", "2025-01-01")
    page.locator("#filter-panel button[type=submit]").click()
    page.wait_for_url(re.compile(r"date_from="))
    assert {name for name, _ in parse_qsl(urlsplit(page.url).query)} == {"city", "date_from"}
    page.goto("/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93")
    assert page.locator("input[type=search]:visible").count() == 1
