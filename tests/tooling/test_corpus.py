"""The synthetic corpus (search/tooling/corpus*.py, manage.py make_corpus): deterministic, within
its spec, and read by the ingest exactly as written."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.gazetteer import JIANGSU
from archive.ingest.catalog import load_catalog
from archive.ingest.decoding import decode_bytes
from archive.ingest.parsing import parse_page
from archive.models import Article, IngestRun, Section
from archive.text.script import detect_script
from search.indexing.outbox import backend
from search.tooling.corpus import MANIFEST_NAME, generate_corpus, read_manifest
from search.tooling.corpus_pages import BODY_MAX, BODY_MIN
from search.tooling.corpus_words import PUBLICATIONS


def page_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.name != MANIFEST_NAME}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """2,000 articles (about 540 pages)."""
    folder = tmp_path_factory.mktemp("corpus") / "pages"
    generate_corpus(2000, folder, seed=42)
    return folder


@pytest.fixture(scope="module")
def parsed(corpus) -> list[tuple[dict, list]]:
    """Each page of the corpus parsed as the ingest parses it: (manifest entry, articles)."""
    catalog = load_catalog(corpus / "catalog.csv")
    pages = []
    for entry in read_manifest(corpus)["files"]:
        row = catalog.lookup(entry["file"])
        page = parse_page(decode_bytes((corpus / entry["file"]).read_bytes()).text,
                          issue_date=row.issue_date, publication_names=frozenset({row.publication}))
        pages.append((entry, page.articles))
    return pages


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate_corpus(60, tmp_path / "a", seed=3)
    generate_corpus(60, tmp_path / "b", seed=3)
    generate_corpus(60, tmp_path / "c", seed=4)
    assert page_files(tmp_path / "a") == page_files(tmp_path / "b")
    assert read_manifest(tmp_path / "a") == read_manifest(tmp_path / "b")
    assert page_files(tmp_path / "a") != page_files(tmp_path / "c")


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path):
    """So the benchmark's baseline runs on the first M articles of the same corpus."""
    generate_corpus(40, tmp_path / "small", seed=5)
    generate_corpus(100, tmp_path / "large", seed=5)
    small = read_manifest(tmp_path / "small")["files"]
    large = read_manifest(tmp_path / "large")["files"]
    assert sum(entry["articles"] for entry in small) == 40
    assert sum(entry["articles"] for entry in large) == 100
    for entry in small[:-1]:  # only the last page is cut short
        assert (tmp_path / "small" / entry["file"]).read_bytes() == (tmp_path / "large" / entry["file"]).read_bytes()


def test_catalog_and_manifest_describe_every_page(corpus):
    manifest = read_manifest(corpus)
    catalog = load_catalog(corpus / "catalog.csv")
    files = sorted(path.name for path in corpus.glob("*.txt"))
    assert files == sorted(entry["file"] for entry in manifest["files"])
    assert set(catalog.entries) == set(files) and not catalog.problems
    assert manifest["articles"] == sum(entry["articles"] for entry in manifest["files"]) == 2000
    assert manifest["bytes"] == sum((corpus / name).stat().st_size for name in files)


def test_about_ten_percent_of_pages_are_traditional(corpus):
    entries = read_manifest(corpus)["files"]
    traditional = [entry for entry in entries if entry["script"] == "hant"]
    assert 0.06 <= len(traditional) / len(entries) <= 0.14
    for entry in traditional[:20]:
        assert detect_script((corpus / entry["file"]).read_text(encoding="utf-8")) == "hant"
    for entry in [e for e in entries if e["script"] == "hans"][:20]:
        assert detect_script((corpus / entry["file"]).read_text(encoding="utf-8")) == "hans"


def test_places_publications_and_dates_within_spec(corpus):
    entries = read_manifest(corpus)["files"]
    cities = Counter(entry["city"] for entry in entries)
    assert len(cities) >= 12 and set(cities) <= set(JIANGSU)
    publications = {entry["publication"] for entry in entries}
    assert len(publications) >= 8 and publications <= {p.name for p in PUBLICATIONS}
    assert {entry["medium"] for entry in entries} == {"print", "web"}
    issue_dates = [dt.date.fromisoformat(entry["issue_date"]) for entry in entries]
    assert min(issue_dates).year >= 2015 and max(issue_dates).year <= 2025
    assert len({date.year for date in issue_dates}) == 11


def test_the_parser_finds_every_article_as_written(parsed):
    """Headlines, ledes, column breaks and furniture are read back exactly: counts match,
    every article has its headline, a body of 800-1,500 characters and a 2015-2025 date."""
    years: Counter = Counter()
    scripts: Counter = Counter()
    for entry, articles in parsed:
        assert len(articles) == entry["articles"], entry["file"]
        for article in articles:
            assert article.headline and not article.headline_derived, entry["file"]
            assert BODY_MIN - 20 <= len(article.body) <= BODY_MAX + 50, (entry["file"], len(article.body))
            assert 800 <= len(article.body) <= 1500
            assert article.date.precision == "day" and 2015 <= article.date.value.year <= 2025
            assert "更多>>" not in article.body and "出版物号" not in article.body
            years[article.date.value.year] += 1
            scripts[article.script] += 1
    assert len(years) == 11
    assert 0.05 <= scripts["hant"] / sum(scripts.values()) <= 0.15


def test_pages_carry_bylines_column_breaks_and_furniture(corpus, parsed):
    texts = [(corpus / entry["file"]).read_text(encoding="utf-8") for entry, _ in parsed]
    assert sum("本报讯 (记者" in text or "本報訊 (記者" in text for text in texts) > len(texts) / 2
    assert sum("更多>>" in text for text in texts) > 10
    assert sum("出版物号" in text or "出版物號" in text for text in texts) > 10
    bylines = [name for _, articles in parsed for article in articles for name in article.bylines]
    assert len(bylines) > 1000 and len(set(bylines)) < 400  # reporters recur (150, some also in Traditional)


@pytest.mark.django_db
def test_ingest_of_a_small_corpus_loads_every_article(tmp_path):
    generate_corpus(40, tmp_path / "pages", seed=11)
    manifest = read_manifest(tmp_path / "pages")
    call_command("ingest", str(tmp_path / "pages"), verbosity=0)
    run = IngestRun.objects.get()
    assert run.files_failed == 0 and run.files_seen == manifest["pages"]
    assert run.created == Article.objects.count() == 40
    assert Section.objects.count() == manifest["pages"]
    assert set(Article.objects.values_list("city", flat=True)) <= set(JIANGSU)
    assert backend().document_count() == 40


def test_make_corpus_command(tmp_path):
    out = tmp_path / "made"
    buffer = io.StringIO()
    call_command("make_corpus", articles=12, out=str(out), seed=1, stdout=buffer)
    assert "Wrote 12 article(s)" in buffer.getvalue()
    assert read_manifest(out)["articles"] == 12
    with pytest.raises(CommandError, match="not empty"):
        call_command("make_corpus", articles=12, out=str(out))
    with pytest.raises(CommandError):
        call_command("make_corpus", articles=0, out=str(tmp_path / "none"))
