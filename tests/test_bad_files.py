"""Bad input files, made here rather than committed: every encoding the archive
reads, line ends, cut-off and corrupt bytes, binary, empty and whitespace-only
files, a 50 MB file, one 2 MB line (over the per-article cap), `?` mojibake and leftover pinyin.

Each readable page loads; each unreadable one gets exactly one line naming the
file and the reason; there is never a traceback; the exit status says whether
anything failed.
"""
from __future__ import annotations

import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest.decoding import decode_bytes
from archive.ingest.page_checks import read_page
from archive.models import IngestFileResult, Section
from tests.subprocess_helpers import manage, migrated_data_dir, postgres_server

SEEDS = Path(settings.ARCHIVE_SEEDS_DIR)
SEED_000 = (SEEDS / "000_8ab7af27befc82c2.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS / "001_b8044a892ed5c8e9.txt").read_text(encoding="utf-8")
# Traditional, with pinyin after each character:
SEED_002 = (SEEDS / "002_5dd86cec8ccd878f.txt").read_text(encoding="utf-8")
SEED_003 = (SEEDS / "003_936178c8d4e10bdd.txt").read_text(encoding="utf-8")
SEED_004 = (SEEDS / "004_61208d9fae118111.txt").read_text(encoding="utf-8")

BIG5_PAGE = """## 區領導調研芯片產業相關企業

本報訊 (記者 朱夢琪) 今天上午,區委副書記、區長惲淇丞走訪調研我區芯片產業相關企業,強調要加快延鏈補鏈強鏈。
惲淇丞一行先後前往常州亦泓科技有限公司,察看企業生產車間,詳細了解產品工藝流程和性能等情況。
"""
WEB_HEADLINE = "區領導調研芯片產業相關企業"


def _cut_inside_last_character(data: bytes, encoding: str) -> bytes:
    """The bytes of a page whose copy stopped inside its last (multi-byte) character."""
    text = data.decode(encoding).rstrip()
    whole = text.encode(encoding)
    last = len(text[-1].encode(encoding))
    assert last > 1
    return whole[:-1]


def _one_line_page(size: int) -> bytes:
    paragraphs = [line for line in SEED_000.splitlines() if len(line) > 60]
    text = "本报讯 "
    while len(text.encode()) < size:
        text += "".join(paragraphs)
    return text.encode()[:size].decode("utf-8", errors="ignore").encode()


def _with_question_marks(text: str) -> str:
    """What a lossy conversion leaves: some characters replaced by `?`."""
    return text.replace("集成电路", "????").replace("摩尔线程", "摩尔??")


# name -> (bytes, expected encoding); all of these must load.
def readable_files() -> dict[str, tuple[bytes, str]]:
    return {
        "gbk.txt": (SEED_004.encode("gbk"), "gb18030"),
        "gb18030.txt": ((SEED_000 + "\n## 㐀字测试\n\n本报讯 GB18030四字节字符㐀与𠀀也能读出。\n").encode("gb18030"), "gb18030"),
        "big5.txt": (BIG5_PAGE.encode("big5"), "big5"),
        "big5_mangled_pinyin.txt": (SEED_002.encode("big5", errors="replace"), "big5"),
        "utf8_bom.txt": (SEED_001.encode("utf-8-sig"), "utf-8-sig"),
        "utf16_le_bom.txt": (SEED_003.encode("utf-16"), "utf-16"),
        "utf16_be_bom.txt": (b"\xfe\xff" + SEED_003.encode("utf-16-be"), "utf-16"),
        "utf16_no_bom.txt": (SEED_004.encode("utf-16-le"), "utf-16-le"),
        "crlf.txt": (SEED_004.replace("\n", "\r\n").encode(), "utf-8"),
        "cr_only.txt": (SEED_004.replace("\n", "\r").encode(), "utf-8"),
        "cut_utf8.txt": (_cut_inside_last_character(SEED_004.encode(), "utf-8"), "utf-8"),
        "cut_gbk.txt": (_cut_inside_last_character(SEED_004.encode("gbk"), "gbk"), "gb18030"),
        "question_marks.txt": (_with_question_marks(SEED_004).encode(), "utf-8"),
        "pinyin.txt": (SEED_002.encode(), "utf-8"),
    }


# name -> (bytes, start of the reason); none of these may load.
def unreadable_files() -> dict[str, tuple[bytes, str]]:
    utf8 = SEED_004.encode()
    gbk = SEED_004.encode("gbk")
    return {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \r\n\t\n  \n", "file contains only whitespace"),
        "blank_ideographic.txt": ("\u3000\u3000\n\n\u3000 \n".encode(), "file contains only whitespace"),
        "bom_only.txt": (b"\xef\xbb\xbf", "empty file"),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16,
                      "binary data, not a text page"),
        "random.bin": (bytes((i * 7919 + 13) % 256 for i in range(20000)), "binary data, not a text page"),
        "nul_late.txt": (utf8 + b"\x00" * 3 + utf8, "binary data, not a text page (NUL character"),
        "corrupt_utf8.txt": (utf8[:3001] + utf8[3002:], "corrupt text: not valid UTF-8 at byte 3000"),
        "corrupt_gbk.txt": (gbk[:3001] + gbk[3002:], "corrupt text: not valid GB18030 at byte"),
        "shift_jis.txt": (("日本語のページです。半導体産業の発展について東京で会議が開かれました。" * 20).encode("shift_jis"),
                          "not valid UTF-8, GB18030 or Big5 text, and not readable as Chinese"),
        "furniture_only.txt": ("更多>>\n\n返回顶部\n\n版权所有 © 武进日报社\n".encode(),
                               "no article text found on the page"),
        "huge_50mb.txt": (None, "file is 50 MB, over the 10 MB limit"),
        "one_line_2mb.txt": (_one_line_page(2 * 1024 * 1024), "article too long: a line of 735,424 characters, over the limit of 100,000"),
    }


def _write_huge(path: Path) -> None:
    """50 MB of real page text (not a sparse file: it is refused by size, not by content)."""
    block = SEED_004.encode() * 64
    with path.open("wb") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(block)
        handle.truncate(50 * 1024 * 1024)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad_corpus")
    for name, (data, _) in {**readable_files(), **unreadable_files()}.items():
        if name == "huge_50mb.txt":
            _write_huge(folder / name)
        else:
            (folder / name).write_bytes(data)
    return folder


def error_lines(output: str) -> dict[str, str]:
    """File name -> reason, from the command's `ERROR <path>: <reason>` lines (one per file, or it fails)."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        match = re.match(r"ERROR (.+?): (.+)$", line)
        if match:
            name = Path(match.group(1)).name
            assert name not in found, f"two error lines for {name}"
            found[name] = match.group(2)
    return found


@pytest.mark.django_db
def test_each_readable_page_loads_and_each_unreadable_gets_one_line(corpus):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ingest", str(corpus), stdout=out, stderr=err, verbosity=1, no_progress=True)
    output = out.getvalue() + err.getvalue()
    assert "Traceback" not in output
    bad, good = unreadable_files(), readable_files()
    errors = error_lines(output)
    assert set(errors) == set(bad)
    for name, (_, reason) in bad.items():
        assert errors[name].startswith(reason), (name, errors[name])
        assert "\n" not in errors[name]
    assert str(failure.value) == f"{len(bad)} of {len(bad) + len(good)} file(s) failed; see the lines above"

    for name, (_, encoding) in good.items():
        section = Section.objects.get(source_name=name)
        assert section.encoding == encoding, name
        assert section.articles.exists(), name
        assert "\r" not in section.raw_text and all("\r" not in a.body for a in section.articles.all()), name
    failed = IngestFileResult.objects.filter(status="failed")
    assert {result.source_name for result in failed} == set(bad)
    check_what_the_readable_pages_hold()


def check_what_the_readable_pages_hold():
    def headlines(name: str) -> list[str]:
        articles = Section.objects.get(source_name=name).articles.order_by("position")
        return list(articles.values_list("headline", flat=True))

    seed_004 = ["摩尔线程系统级产品研发总部签约 一批生态企业同步落户", "中国电科来锡考察",
                "市政府召开集成电路产业集群建设工作推进会"]
    for name in ("gbk.txt", "utf16_no_bom.txt", "crlf.txt", "cr_only.txt", "cut_utf8.txt", "cut_gbk.txt"):
        assert headlines(name) == seed_004, name
    assert headlines("gb18030.txt")[-1] == "㐀字测试"
    assert "𠀀" in Section.objects.get(source_name="gb18030.txt").articles.get(headline="㐀字测试").body
    assert headlines("big5.txt") == [WEB_HEADLINE]
    # Pinyin after every character is removed, also where Big5 turned its tone marks into `?` (武進(j?n)).
    assert headlines("pinyin.txt") == [WEB_HEADLINE]
    assert headlines("big5_mangled_pinyin.txt") == [WEB_HEADLINE]
    mangled = Section.objects.get(source_name="big5_mangled_pinyin.txt").articles.get()
    assert mangled.paragraphs[0].startswith("聚力“芯”賽道,打造新高地。")
    assert not re.findall(r"[((][a-zü?]{1,6}[))]", mangled.body)
    assert "澎芯半導體(常州)有限公司" in mangled.body  # real brackets stay
    # A page cut inside its last character keeps everything before it, and says what happened.
    cut = Section.objects.get(source_name="cut_utf8.txt").articles.get(position=3)
    assert cut.body.endswith("会议还下发了今年我市集成电路产业集群建设发展工作要点。")
    message = IngestFileResult.objects.get(source_name="cut_utf8.txt").message
    assert "last character cut off" in message
    # `?` mojibake is not refused and not "repaired": the body keeps it as it is; a headline drops
    # it, since a title with ? in place of characters must not be cited as the paper's.
    assert headlines("question_marks.txt")[2] == "市政府召开产业集群建设工作推进会"
    assert any("????" in a.body for a in Section.objects.get(source_name="question_marks.txt").articles.all())


def test_decoding_reasons_name_the_problem():
    for name, (data, reason) in unreadable_files().items():
        if data is None or name == "furniture_only.txt":
            continue
        with pytest.raises(ValueError, match=re.escape(reason)):
            read_page(data)
    for name, (data, encoding) in readable_files().items():
        assert read_page(data).encoding == encoding, name
        assert decode_bytes(data).encoding == encoding, name


@pytest.mark.slow
def test_command_exit_status_and_no_traceback(corpus, tmp_path):
    """The real command in its own process: one line per bad file, exit status 1; then 0 when none fails."""
    data_dir = migrated_data_dir(tmp_path / "data")
    failing = manage(["ingest", str(corpus), "--no-progress"], data_dir)
    assert failing.returncode == 1
    assert "Traceback" not in failing.stderr + failing.stdout
    errors = error_lines(failing.stderr)
    assert set(errors) == set(unreadable_files())
    bad, good = len(unreadable_files()), len(readable_files())
    assert failing.stderr.strip().splitlines()[-1] == (
        f"CommandError: {bad} of {bad + good} file(s) failed; see the lines above")
    assert f"Ingested {bad + good} file(s) ({bad} failed, 0 updated)" in failing.stdout

    readable_only = tmp_path / "readable"
    readable_only.mkdir()
    for name in ("gbk.txt", "utf16_no_bom.txt", "big5_mangled_pinyin.txt"):
        shutil.copy(corpus / name, readable_only / name)
    passing = manage(["ingest", str(readable_only), "--no-progress"], data_dir)
    assert passing.returncode == 0, passing.stderr
    # copies of stored pages whose own files are still there: reported, not stored twice
    assert passing.stderr == "" and "(0 failed, 0 updated, 3 skipped)" in passing.stdout
    assert passing.stdout.count(": same content as ") == 3
    assert postgres_server() or os.path.exists(data_dir / "archive.sqlite3")  # the folder's own database


@pytest.mark.django_db
@pytest.mark.database
def test_an_unexpected_error_fails_only_its_file(corpus, tmp_path, monkeypatch):
    """A bug tripped by one page is that file's one-line failure; the others still load."""
    from archive.ingest import loader

    real_parse = loader.parse_page

    def parse_page(text, **kwargs):
        if "摩尔线程" in text:
            raise RuntimeError("parser tripped\non this page")
        return real_parse(text, **kwargs)

    monkeypatch.setattr(loader, "parse_page", parse_page)
    for name in ("gbk.txt", "big5.txt", "pinyin.txt"):
        shutil.copy(corpus / name, tmp_path / name)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 3 file"):
        call_command("ingest", str(tmp_path), stdout=out, stderr=err, no_progress=True)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert error_lines(err.getvalue()) == {"gbk.txt": "unexpected error (RuntimeError: parser tripped on this page)"}
    assert set(Section.objects.values_list("source_name", flat=True)) == {"big5.txt", "pinyin.txt"}
