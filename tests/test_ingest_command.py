"""The ingest command end to end: re-runs, changed files, editor protection,
bad input, catalogs and inferred metadata, and the audit record."""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, IngestFileResult, IngestRun, Section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

SEED_000 = "000_8ab7af27befc82c2.txt"
SEED_002 = "002_5dd86cec8ccd878f.txt"
SEED_004 = "004_61208d9fae118111.txt"


@pytest.fixture
def seeds(settings, tmp_path) -> Path:
    """A private copy of seeds/ that tests may change."""
    folder = tmp_path / "seeds"
    shutil.copytree(settings.ARCHIVE_SEEDS_DIR, folder)
    return folder


def ingest(*paths, **options) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return f"{out.getvalue()}{err.getvalue()}FAILED: {exc}"
    return out.getvalue() + err.getvalue()


def snapshot() -> list[tuple]:
    return list(Article.objects.order_by("pk").values_list("pk", "headline", "body", "updated_at"))


def test_second_run_changes_nothing_and_says_so(seeds):
    first = ingest(seeds)
    assert "18 article(s) created" in first
    before = snapshot()
    second = ingest(seeds)
    assert second.startswith("Nothing changed: 5 file(s), 18 article(s) already up to date")
    assert snapshot() == before
    run = IngestRun.objects.first()
    assert (run.created, run.updated, run.unchanged, run.files_failed) == (0, 0, 18, 0)
    assert set(run.files.values_list("status", flat=True)) == {"unchanged"}


def test_changed_file_updates_its_articles(seeds):
    ingest(seeds)
    path = seeds / SEED_004
    path.write_text(path.read_text(encoding="utf-8").replace("中国电科来锡考察", "中国电科来锡调研"), encoding="utf-8")
    output = ingest(seeds)
    assert "1 article(s) created" in output and "1 removed" in output
    assert Article.objects.filter(headline="中国电科来锡调研").exists()
    assert not Article.objects.filter(headline="中国电科来锡考察").exists()
    result = IngestRun.objects.first().files.get(source_name=SEED_004)
    assert result.status == "updated"
    assert "中国电科来锡调研" in Section.objects.get(source_name=SEED_004).raw_text


def test_body_change_updates_in_place(seeds):
    ingest(seeds)
    article = Article.objects.get(headline="中国电科来锡考察")
    path = seeds / SEED_004
    path.write_text(path.read_text(encoding="utf-8").replace("与无锡合作30多年来", "与无锡合作40多年来"), encoding="utf-8")
    assert "1 updated" in ingest(seeds)
    article.refresh_from_db()
    assert "与无锡合作40多年来" in article.body


def test_edited_article_is_kept(seeds):
    ingest(seeds)
    article = Article.objects.get(headline="中国电科来锡考察")
    article.headline = "编辑改过的标题"
    article.body = "编辑改过的正文。"
    article.edited = True
    article.save()
    path = seeds / SEED_004
    path.write_text(path.read_text(encoding="utf-8").replace("与无锡合作30多年来", "与无锡合作40多年来"), encoding="utf-8")
    output = ingest(seeds)
    assert "1 kept because edited" in output
    article.refresh_from_db()
    assert (article.headline, article.body) == ("编辑改过的标题", "编辑改过的正文。")
    assert IngestRun.objects.first().files.get(source_name=SEED_004).kept == 1


@pytest.mark.parametrize(
    "encoding, transform",
    [
        ("gb18030", lambda text: text.encode("gbk")),
        ("gb18030", lambda text: text.encode("gb18030")),
        ("utf-8-sig", lambda text: text.encode("utf-8-sig")),
        ("utf-8", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
        ("utf-8", lambda text: text.replace("\n", "\r").encode("utf-8")),
    ],
    ids=["gbk", "gb18030", "utf8-bom", "crlf", "cr"],
)
def test_encodings_and_line_ends(settings, tmp_path, encoding, transform):
    text = (settings.ARCHIVE_SEEDS_DIR / SEED_004).read_text(encoding="utf-8")
    (tmp_path / SEED_004).write_bytes(transform(text))
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / "catalog.csv", tmp_path)
    ingest(tmp_path)
    page = Section.objects.get(source_name=SEED_004)
    assert page.encoding == encoding
    assert page.articles.count() == 3
    assert page.articles.get(position=2).headline == "中国电科来锡考察"
    assert "\r" not in page.articles.get(position=2).body


BIG5_PAGE = """武進新聞

區領導調研芯片產業相關企業

時間:2025-03-06 20:22:49  來源:武進新聞  作者:陽湖網
聚力「芯」賽道,打造新高地。今天上午,區委副書記、區長惲淇丞走訪調研我區芯片產業相關企業。
惲淇丞一行先後前往常州亦泓科技有限公司,察看企業生產車間。

更多>>
武進新聞20250306
"""


def test_big5_traditional_page(tmp_path):
    (tmp_path / "big5_page.txt").write_bytes(BIG5_PAGE.encode("big5"))
    ingest(tmp_path)
    page = Section.objects.get(source_name="big5_page.txt")
    assert page.encoding == "big5"
    article = page.articles.get()
    assert article.headline == "區領導調研芯片產業相關企業"
    assert article.script == "hant"
    assert article.date == datetime.date(2025, 3, 6)
    assert article.paragraphs[-1] == "惲淇丞一行先後前往常州亦泓科技有限公司,察看企業生產車間。"


def test_bad_files_get_one_line_each_and_others_load(settings, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\r\n\t ")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "broken.txt").write_bytes("本报讯 昨天会议召开。".encode()[:-2] + b"\xff\xfe\xfd" * 40)
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_000, tmp_path)
    output = ingest(tmp_path)
    error_lines = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert len(error_lines) == 4
    assert any("empty.txt: empty file" in line for line in error_lines)
    assert any("blank.txt: file contains only whitespace" in line for line in error_lines)
    assert any("image.txt: binary data" in line for line in error_lines)
    assert "Traceback" not in output
    assert "FAILED: 4 of 5 file(s) failed" in output
    assert Section.objects.get(source_name=SEED_000).articles.count() == 5
    failed = IngestFileResult.objects.filter(status="failed")
    assert failed.count() == 4 and all(result.message for result in failed)


def test_exit_status_nonzero_when_a_file_fails(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), verbosity=0)


def test_missing_path_is_reported(settings):
    output = ingest(Path("/no/such/folder"), settings.ARCHIVE_SEEDS_DIR / SEED_000)
    assert "ERROR /no/such/folder: no such file or folder" in output
    assert Section.objects.filter(source_name=SEED_000).exists()


def test_uncatalogued_page_is_inferred_and_marked(settings, tmp_path):
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_004, tmp_path / "wuxi_page.txt")
    ingest(tmp_path)
    page = Section.objects.select_related("publication").get(source_name="wuxi_page.txt")
    assert page.metadata_inferred
    assert page.publication.name == "江南晚报"
    assert page.publication.city == "无锡"
    assert page.articles.count() == 3
    assert set(page.articles.values_list("city", flat=True)) == {"无锡"}
    assert "metadata inferred" in IngestFileResult.objects.get(source_name="wuxi_page.txt").message


def test_uncatalogued_web_page_takes_its_date_from_the_timestamp(settings, tmp_path):
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_002, tmp_path / "web.txt")
    ingest(tmp_path)
    page = Section.objects.select_related("publication").get(source_name="web.txt")
    assert page.issue_date == datetime.date(2025, 3, 6)
    assert page.publication.name == "武进新闻" and page.publication.medium == "web"
    assert (page.publication.city, page.publication.district) == ("常州", "武进区")


def test_uncatalogued_page_of_a_known_publication_takes_its_place(settings, tmp_path):
    ingest(settings.ARCHIVE_SEEDS_DIR)
    # not a byte-for-byte copy, which would be recognised as the stored page and not stored twice
    page_text = (settings.ARCHIVE_SEEDS_DIR / SEED_002).read_text(encoding="utf-8")
    (tmp_path / "another_web_page.txt").write_text(page_text + "\n", encoding="utf-8")
    ingest(tmp_path)
    page = Section.objects.get(source_name="another_web_page.txt")
    assert page.publication.name == "武进新闻"
    assert page.articles.get().district == "武进区"


def test_bad_catalog_row_fails_only_that_file(settings, tmp_path):
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_000, tmp_path)
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_004, tmp_path)
    (tmp_path / "catalog.csv").write_text(
        "file,publication,medium,city,district,issue_date,page\n"
        f"{SEED_000},武进日报,print,常州,武进区,2024-02-30,A1\n"
        f"{SEED_004},江南晚报,print,无锡,,2025-02-20,A1\n",
        encoding="utf-8",
    )
    output = ingest(tmp_path)
    assert f"ERROR {tmp_path / SEED_000}: catalog.csv line 2: no such date: 2024-02-30" in output
    assert Section.objects.get(source_name=SEED_004).page_label == "A1"
    assert not Section.objects.filter(source_name=SEED_000).exists()


def test_catalog_page_label_and_month_precision(settings, tmp_path):
    shutil.copy(settings.ARCHIVE_SEEDS_DIR / SEED_000, tmp_path)
    (tmp_path / "catalog.csv").write_text(
        "file,publication,medium,city,district,issue_date,page\n"
        f"{SEED_000},武进日报,print,常州,武进区,2024-04,A1 要闻\n",
        encoding="utf-8",
    )
    ingest(tmp_path)
    page = Section.objects.get(source_name=SEED_000)
    assert (page.page_label, page.issue_date_precision) == ("A1 要闻", "month")
    # 昨天 cannot be resolved against a month, so articles carry the month
    assert set(page.articles.values_list("date_precision", flat=True)) == {"month"}


def test_run_record_lists_files_and_counts(seeds):
    ingest(seeds)
    run = IngestRun.objects.get()
    assert run.finished_at is not None
    assert run.paths == [str(seeds)]
    assert (run.files_seen, run.created) == (5, 18)
    assert sorted(run.files.values_list("source_name", "status")) == sorted(
        (path.name, "created") for path in seeds.glob("0*.txt")
    )


def test_progress_flag_and_verbose_output(seeds):
    output = ingest(seeds, verbosity=2, no_progress=True)
    assert f"created   {seeds / SEED_000}: 5 created" in output
