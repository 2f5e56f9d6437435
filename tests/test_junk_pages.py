"""Junk given as pages, and pages past the per-page caps: each refused with one `ERROR` line
naming what is wrong (past a cap: the cap, its setting and the figure), nothing loaded from it;
an HTML source and a mixed-encoding file whose parts read as Chinese load as their text.
The pages are synthetic."""
from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest.cleaning import strip_invisible
from archive.ingest.decoding import UndecodableFile, decode_bytes
from archive.ingest.html_source import html_to_text, looks_like_html
from archive.ingest.page_checks import PageCaps, RefusedPage, looks_like_pinyin, read_page
from archive.ingest.parsing import parse_page
from archive.models import IngestFileResult, Section

STORY = ("## 新区举办集成电路产业对接会\n\n"
         "本报讯 昨天上午,新区召开集成电路产业对接会,二十余家企业负责人到场,五个项目现场签约。\n"
         "会上,园区介绍了今年的招商计划,并就人才公寓和配套道路建设回答了企业提问。\n")
SECOND = ("## 园区新建一座污水处理厂\n\n"
          "本报讯 近日,园区污水处理厂主体工程完工,预计年底投入运行,每天可处理污水五万吨。\n")
SECOND_BIG5 = ("## 園區新建一座汙水處理廠\n\n"
               "本報訊 近日,園區汙水處理廠主體工程完工,預計年底投入運行,每天可處理汙水五萬噸。\n")
HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>新区举办集成电路产业对接会_新区新闻网</title>
<script>var tip = "<p>不是正文</p>";</script><style>.nav { color: red }</style></head>
<body><div class="crumb"><a href="/">首页</a> &gt; <a href="/news/">要闻</a> &gt; 正文</div>
<!-- 正文开始 -->
<h1>新区举办集成电路
    产业对接会</h1>
<div class="info">2024-05-06 14:07 来源:新区新闻网</div>
<div class="content"><p>昨天上午,新区召开集成电路产业对接会,<b>二十余家</b>企业负责人到场,
    五个项目现场签约。</p><p>会上,园区介绍了今年的招商计划。<br>企业代表就人才公寓建设提出了建议。</p></div>
<table><tr><td>关于我们</td><td>联系方式</td></tr></table></body></html>
"""
ENGLISH_HTML = "<!DOCTYPE html><html><body><p>The new district opened a park for chip makers.</p></body></html>"
PINYIN = ("Xīnqū jǔbàn jíchéng diànlù chǎnyè duìjiē huì\n\n"
          "Zuótiān shàngwǔ, xīnqū zhàokāi chǎnyè duìjiē huì, èrshí yú jiā qǐyè fùzérén dàochǎng.\n")
ENGLISH = ("New district hosts a chip industry fair\n\n"
           "Officials of the new district met some twenty chip makers on Monday and signed five projects.\n")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\ue012\u202e\u3164"
SHIFT_JIS_PART = "日本語の記事です。半導体の工場が新しく建てられ、地元の会社が集まりました。\n" * 3


def junk_files() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, start of the reason); none of these may load."""
    return {
        "markup_only.html": (ENGLISH_HTML.encode(), "HTML source whose text has no Chinese sentence"),
        "pinyin_only.txt": (PINYIN.encode(), "no Chinese sentence: the page is pinyin only"),
        "digits_only.txt": (b"2024-05-06 14:07\n\n12345 678 90\n---\n", "no Chinese sentence on the page"),
        "zero_width_only.txt": ((INVISIBLE * 4 + "\n" + INVISIBLE + "\n").encode(),
                                "only invisible characters (zero-width spaces, byte-order marks"),
        "mixed_shift_jis.txt": (STORY.encode() + SHIFT_JIS_PART.encode("shift_jis"), "mixed encodings: "),
    }


def loading_files() -> dict[str, bytes]:
    return {
        "page.html": HTML.encode(),
        "invisible_headline.txt": (INVISIBLE * 3 + "\n\n" + STORY.replace("## ", "")).encode(),
        "mixed_gbk.txt": STORY.encode() + b"\n" + SECOND.encode("gbk"),
        "mixed_big5.txt": SECOND_BIG5.encode("big5") + b"\n" + STORY.encode(),
        "english.txt": ENGLISH.encode(),
    }


def error_lines(output: str) -> dict[str, str]:
    return {Path(match.group(1)).name: match.group(2)
            for match in re.finditer(r"^ERROR (.+?): (.+)$", output, re.MULTILINE)}


def ingest(folder: Path) -> tuple[str, CommandError | None]:
    out, err = StringIO(), StringIO()
    failure = None
    try:
        call_command("ingest", str(folder), stdout=out, stderr=err, verbosity=2, no_progress=True)
    except CommandError as exc:
        failure = exc
    output = out.getvalue() + err.getvalue()
    assert "Traceback" not in output
    return output, failure


def headlines(name: str) -> list[str]:
    return list(Section.objects.get(source_name=name).articles.order_by("position").values_list("headline", flat=True))


@pytest.mark.django_db
def test_junk_is_refused_with_a_reason_and_readable_pages_load(tmp_path):
    for name, (data, _) in junk_files().items():
        (tmp_path / name).write_bytes(data)
    for name, data in loading_files().items():
        (tmp_path / name).write_bytes(data)
    output, failure = ingest(tmp_path)

    junk = junk_files()
    assert str(failure) == f"{len(junk)} of {len(junk) + len(loading_files())} file(s) failed; see the lines above"
    errors = error_lines(output)
    assert set(errors) == set(junk)
    for name, (_, reason) in junk.items():
        assert errors[name].startswith(reason), (name, errors[name])
    assert not Section.objects.filter(source_name__in=junk).exists()
    audit = dict(IngestFileResult.objects.filter(status="failed").values_list("source_name", "message"))
    assert audit == errors

    # HTML source: its text, one block a line, no markup, script or comment; the title found.
    assert headlines("page.html") == ["新区举办集成电路产业对接会"]
    article = Section.objects.get(source_name="page.html").articles.get()
    assert article.paragraphs[0] == "昨天上午,新区召开集成电路产业对接会,二十余家企业负责人到场,五个项目现场签约。"
    assert not re.search(r"[<>]|不是正文|正文开始|color", article.body)
    assert "<" not in Section.objects.get(source_name="page.html").raw_text
    assert "HTML source, converted to its text" in IngestFileResult.objects.get(source_name="page.html").message
    # Invisible characters are never a headline.
    assert headlines("invisible_headline.txt") == ["新区举办集成电路产业对接会"]
    # Mixed encodings: each line in the encoding it reads as Chinese in, and the file says so.
    assert headlines("mixed_gbk.txt") == ["新区举办集成电路产业对接会", "园区新建一座污水处理厂"]
    assert headlines("mixed_big5.txt") == ["園區新建一座汙水處理廠", "新区举办集成电路产业对接会"]
    assert Section.objects.get(source_name="mixed_gbk.txt").encoding == "utf-8+gb18030"
    assert "mixed encodings: " in IngestFileResult.objects.get(source_name="mixed_big5.txt").message
    # A page in another language still loads, flagged: only a page of no language at all is junk.
    assert Section.objects.get(source_name="english.txt").language == "latn"


@pytest.mark.django_db
def test_pages_past_a_cap_are_refused_naming_the_cap_and_the_figure(tmp_path, settings):
    settings.ARCHIVE_INGEST_MAX_LINES = 60
    settings.ARCHIVE_INGEST_MAX_ARTICLES = 5
    settings.ARCHIVE_INGEST_MAX_ARTICLE_CHARS = 400
    settings.ARCHIVE_INGEST_MAX_PAGE_CHARS = 1500
    paragraph = "园区介绍了今年的招商计划,并就人才公寓和配套道路建设回答了企业提问。"  # 34 characters
    pages = {
        "headlines_only.txt": ("".join(f"第{i}号项目开工\n" for i in range(100)),
                               "too many lines: 100 lines, over the limit of 60 per file (ARCHIVE_INGEST_MAX_LINES)"),
        "many_articles.txt": ("".join(f"## 第{i}号项目开工\n\n本报讯 {paragraph}\n\n" for i in range(6)),
                              "too many articles: 6 articles, over the limit of 5 per page (ARCHIVE_INGEST_MAX_ARTICLES)"),
        "long_article.txt": ("## 一篇很长的报道\n\n本报讯 " + "".join(f"其{i}:{paragraph}\n" for i in range(12)),
                             "article too long: article 1 has 464 characters, over the limit of 400 per article "
                             "(ARCHIVE_INGEST_MAX_ARTICLE_CHARS)"),
        "long_line.txt": ("## 一篇很长的报道\n\n本报讯 " + paragraph * 14 + "\n",
                          "article too long: a line of 480 characters, over the limit of 400 characters per article "
                          "(ARCHIVE_INGEST_MAX_ARTICLE_CHARS)"),
        "long_page.txt": ("".join(f"## 第{i}号项目开工\n\n本报讯 {paragraph * 10}\n\n" for i in range(5)),
                          "page too long: 1,790 characters, over the limit of 1,500 per page (ARCHIVE_INGEST_MAX_PAGE_CHARS)"),
    }
    for name, (text, _) in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    output, failure = ingest(tmp_path)
    assert failure is not None
    errors = error_lines(output)
    assert set(errors) == set(pages)
    for name, (_, reason) in pages.items():
        assert errors[name].startswith(reason), (name, errors[name])
    assert list(Section.objects.values_list("source_name", flat=True)) == ["story.txt"]


def test_a_headline_only_page_past_the_default_line_cap_is_refused_before_parsing():
    """What the red-team pass loaded as 130,000 articles: refused by the default caps, unparsed."""
    page = "".join(f"第{i}号项目开工仪式举行\n" for i in range(25_000)).encode()
    with pytest.raises(RefusedPage, match=r"too many lines: 25,000 lines, over the limit of 20,000 per file"):
        read_page(page)


def test_mixed_encodings_decode_line_by_line_or_are_refused_as_such():
    decoded = decode_bytes(SECOND.encode("gb18030") + b"\n" + STORY.encode())
    assert decoded.encoding == "utf-8+gb18030" and decoded.text == SECOND + "\n" + STORY
    assert decoded.note == "mixed encodings: 3 line(s) UTF-8, 2 line(s) GB18030; decoded line by line"
    with pytest.raises(UndecodableFile, match=r"^mixed encodings: 3 line\(s\) read as UTF-8 Chinese, 3 line\(s\) "
                                              r"\(the first is line 5\) in no encoding read as Chinese"):
        decode_bytes(STORY.encode() + SHIFT_JIS_PART.encode("shift_jis"))
    # One damaged byte in a UTF-8 page is damage, not a second encoding.
    data = (STORY * 3).encode()
    with pytest.raises(UndecodableFile, match="^corrupt text: not valid UTF-8 at byte"):
        decode_bytes(data[:101] + data[102:])
    # Pure GB18030 and Big5 pages are not taken for mixtures.
    assert decode_bytes((STORY + SECOND).encode("gb18030")).encoding == "gb18030"
    assert decode_bytes(SECOND_BIG5.encode("big5")).encoding == "big5"


def test_html_is_recognised_by_its_doctype_or_its_share_of_markup():
    assert looks_like_html(HTML) and looks_like_html("  <html><body><p>正文</p></body></html>")
    assert looks_like_html("<div><span class='a'><a href='/x/y/z.html'>链接</a></span></div>\n" * 5)
    # A page dump with a leftover tag or two is a page dump (the cleaning drops the tags).
    assert not looks_like_html(STORY + "<ul id='m6qy2'>\n</ul>\n")
    text = html_to_text("<html><body><pre>第一行\n  第二行</pre><ul><li>甲</li><li>乙</li></ul>"
                        "<p>Hello\n   world</p></body></html>")
    assert text == "第一行\n第二行\n\n甲\n\n乙\n\nHello world\n"


def test_pinyin_is_told_from_english_and_invisible_characters_go():
    assert looks_like_pinyin(PINYIN)
    assert looks_like_pinyin("Xinqu juban jicheng dianlu chanye duijie hui")
    assert not looks_like_pinyin(ENGLISH)
    assert strip_invisible(f"新{INVISIBLE}区") == "新区"
    units = parse_page(f"{INVISIBLE}\n\n{STORY}").articles
    assert [article.headline for article in units] == ["新区举办集成电路产业对接会"]


def test_caps_come_from_the_settings(settings):
    settings.ARCHIVE_INGEST_MAX_LINES = 7
    assert PageCaps.from_settings().max_lines == 7
    with pytest.raises(RefusedPage, match="over the limit of 7 per file"):
        read_page(STORY.encode() * 2)
