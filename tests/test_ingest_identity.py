"""Which stored page a file is: files of the same name in two folders are two pages, in one run
or two; the same content under two names is stored once; a moved or renamed file keeps its
page, its articles' ids and the editors' changes; pages stored by bare file name are found again."""
from __future__ import annotations

import importlib
import os
import shutil

import pytest
from django.apps import apps

from archive.models import Article, IngestFileResult, Section
from tests.synthetic_pages import page, run_ingest, write_page

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def two_outlets(tmp_path):
    """Two folders, each with a `page1.txt`: five articles in one, three in the other."""
    write_page(tmp_path / "A" / "page1.txt", "武进", 5)
    write_page(tmp_path / "B" / "page1.txt", "江阴", 3)
    return tmp_path / "A", tmp_path / "B"


def test_same_name_in_two_folders_in_one_run_loses_nothing(two_outlets):
    status, output = run_ingest(*two_outlets)
    assert status == 0, output
    assert "8 article(s) created" in output and "0 removed" in output
    assert Article.objects.count() == 8
    assert sorted(Section.objects.values_list("source_name", "source_root")) == sorted(
        ("page1.txt", str(folder.resolve())) for folder in two_outlets)


def test_same_name_in_two_folders_in_two_runs_loses_nothing(two_outlets):
    folder_a, folder_b = two_outlets
    run_ingest(folder_a)
    status, output = run_ingest(folder_b)
    assert status == 0, output
    assert "3 article(s) created" in output and "0 removed" in output
    assert Article.objects.count() == 8
    assert run_ingest(folder_a, folder_b)[1].startswith("Nothing changed: 2 file(s), 8 article(s)")


def test_the_same_tree_gets_the_same_names_from_any_working_folder(two_outlets, monkeypatch):
    folder_a, _ = two_outlets
    run_ingest(folder_a.resolve())
    monkeypatch.chdir(folder_a.parent)
    assert run_ingest("A")[1].startswith("Nothing changed: 1 file(s)")
    assert run_ingest(os.path.join("A", "page1.txt"))[1].startswith("Nothing changed: 1 file(s)")
    assert Section.objects.count() == 1


def test_subfolders_are_named_by_their_path_and_reached_from_any_level(tmp_path):
    write_page(tmp_path / "pages" / "wujin" / "1.txt", "武进", 2)
    write_page(tmp_path / "pages" / "jiangyin" / "1.txt", "江阴", 2)
    status, output = run_ingest(tmp_path / "pages")
    assert status == 0, output
    assert set(Section.objects.values_list("source_name", flat=True)) == {"wujin/1.txt", "jiangyin/1.txt"}
    wujin = Section.objects.get(source_name="wujin/1.txt")
    ids = set(wujin.articles.values_list("pk", flat=True))
    # the same file given through its own folder, changed meanwhile: the same page, updated
    path = tmp_path / "pages" / "wujin" / "1.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + page("新北", 1), encoding="utf-8")
    status, output = run_ingest(tmp_path / "pages" / "wujin")
    assert status == 0 and "1 article(s) created" in output, output
    assert Section.objects.count() == 2
    assert ids < set(Section.objects.get(pk=wujin.pk).articles.values_list("pk", flat=True))


def test_the_same_content_under_two_names_is_stored_once(tmp_path):
    write_page(tmp_path / "A" / "page1.txt", "武进", 4)
    shutil.copy(tmp_path / "A" / "page1.txt", tmp_path / "A" / "copy_of_page1.txt")
    status, output = run_ingest(tmp_path / "A")
    assert status == 0, output
    assert f"SKIP {tmp_path / 'A' / 'page1.txt'}: same content as copy_of_page1.txt, stored once" in output
    assert (Section.objects.count(), Article.objects.count()) == (1, 4)
    assert IngestFileResult.objects.get(status="duplicate").source_name == "page1.txt"
    # and in a later run, from another folder
    shutil.copy(tmp_path / "A" / "page1.txt", tmp_path / "mirror.txt")
    status, output = run_ingest(tmp_path / "mirror.txt")
    assert status == 0 and "same content as copy_of_page1.txt" in output, output
    assert (Section.objects.count(), Article.objects.count()) == (1, 4)


def test_a_moved_file_keeps_its_page_its_article_ids_and_the_editors_changes(tmp_path):
    write_page(tmp_path / "A" / "page1.txt", "武进", 5)
    run_ingest(tmp_path / "A")
    before = dict(Article.objects.values_list("source_key", "pk"))
    edited = Article.objects.get(position=2)
    edited.headline, edited.edited = "编辑改过的标题", True
    edited.save()
    (tmp_path / "A" / "2024").mkdir()
    os.rename(tmp_path / "A" / "page1.txt", tmp_path / "A" / "2024" / "renamed.txt")
    status, output = run_ingest(tmp_path / "A", verbosity=2)
    assert status == 0, output
    assert "moved from page1.txt" in output and "0 removed" in output and "0 article(s) created" in output
    assert dict(Article.objects.values_list("source_key", "pk")) == before
    assert Article.objects.get(pk=edited.pk).headline == "编辑改过的标题"
    assert list(Section.objects.values_list("source_name", flat=True)) == ["2024/renamed.txt"]
    # moved to another folder altogether
    os.rename(tmp_path / "A" / "2024" / "renamed.txt", tmp_path / "elsewhere.txt")
    assert "moved from 2024/renamed.txt" in run_ingest(tmp_path / "elsewhere.txt", verbosity=2)[1]
    assert dict(Article.objects.values_list("source_key", "pk")) == before


def test_a_page_stored_by_its_bare_name_is_found_again_and_takes_its_folder(tmp_path):
    path = write_page(tmp_path / "A" / "page1.txt", "武进", 3)
    run_ingest(tmp_path / "A")
    Section.objects.update(source_root="")  # as the migration leaves pages stored before folders were kept
    ids = set(Article.objects.values_list("pk", flat=True))
    path.write_text(path.read_text(encoding="utf-8") + "\n" + page("湖塘", 1), encoding="utf-8")
    status, output = run_ingest(tmp_path / "A")
    assert status == 0 and "1 article(s) created" in output and "0 removed" in output, output
    section = Section.objects.get()
    assert section.source_root == str((tmp_path / "A").resolve())
    assert ids < set(Article.objects.values_list("pk", flat=True))


def test_catalogs_of_two_folders_may_name_the_same_file(two_outlets):
    for folder, outlet, city in ((two_outlets[0], "武进日报", "常州"), (two_outlets[1], "江南晚报", "无锡")):
        (folder / "catalog.csv").write_text(
            f"file,publication,medium,city,district,issue_date,page\npage1.txt,{outlet},print,{city},,2024-05-06,A2\n",
            encoding="utf-8")
    run_ingest(*two_outlets)
    assert sorted(Section.objects.values_list("publication__name", "page_label")) == [
        ("武进日报", "A2"), ("江南晚报", "A2")]


def test_going_back_past_the_migration_is_refused_while_two_pages_share_a_name(two_outlets):
    migration = importlib.import_module("archive.migrations.0006_section_identity")
    run_ingest(two_outlets[0])
    migration.refuse_repeated_names(apps, None)  # one page per name: going back is fine
    run_ingest(two_outlets[1])
    with pytest.raises(RuntimeError, match="several pages are named page1.txt"):
        migration.refuse_repeated_names(apps, None)
