"""In a real browser (Chromium): the entity index narrows as the reader types, by name or alias,
without breaking the Content-Security-Policy; the switch to English reaches its headings."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.test_browser import archive, browser, page, pytestmark  # noqa: F401  (fixtures, marks)

__all__ = ["pytestmark"]


def test_entity_index_narrows_as_you_type(page):  # noqa: F811  (the imported fixture)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/entities/")
    companies = page.locator('#entity-results [data-kind="company"] li a')
    assert companies.count() > 3
    page.fill("#entity-q", "中国电科")  # an alias of 中国电子科技集团有限公司
    expect(page.locator("#entity-results li a")).to_have_count(1)
    assert companies.all_inner_texts() == ["中国电子科技集团有限公司"]
    assert "q=" in page.url and page.locator("[data-result-count]").get_attribute("data-result-count") == "1"
    page.select_option("#entity-sort", "recent")
    page.wait_for_url(lambda url: "sort=recent" in url)
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Industries, companies and people"
    assert "sort=recent" in page.url and page.input_value("#entity-q") == "中国电科"  # the list the reader had
    assert page.locator("#entity-results h2").first.inner_text().startswith("Companies")
    assert violations == []
