"""Focused tests of the page parser: cleaning, furniture, segmentation,
bylines and dates, on hand-written pages shaped like other papers' dumps."""
from __future__ import annotations

import datetime

import pytest

from archive.ingest import bylines, cleaning, furniture
from archive.ingest.dates import DAY, MONTH, FuzzyDate, parse_iso_fuzzy, resolve_first_date
from archive.ingest.decoding import UndecodableFile, decode_bytes
from archive.ingest.headlines import is_slogan, split_headline_run
from archive.ingest.parsing import parse_page
from archive.ingest.units import split_units

ISSUE = FuzzyDate(datetime.date(2024, 10, 31), DAY)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("武進(jìn)新聞", "武進新聞"),
        ("區(qū)領(lǐng)導(dǎo)調(diào)研", "區領導調研"),
        ("本報訊(記者 朱夢琪)", "本報訊(記者 朱夢琪)"),
        ("区委常委会(扩大)会议召开", "区委常委会(扩大)会议召开"),
        ("中讯半导体(江苏)有限公司", "中讯半导体(江苏)有限公司"),
        ("研发(R&D)投入", "研发(R&D)投入"),
        ("的(de)确", "的确"),
        ("武进(jin4)新闻", "武进新闻"),
        ("全角括号\uff08jìn\uff09也行", "全角括号也行"),  # escapes: the wide brackets themselves
        ("园区?\uff08qū\uff09建设", "园区建设"),
        ("真的吗?\uff08是\uff09", "真的吗?\uff08是\uff09"),
        ("(zhōng)不在汉字后", "(zhōng)不在汉字后"),
        # a character the encoding lost (`?` or U+FFFD) goes with the gloss that followed it
        ("推进产业链?liàn)式发展", "推进产业链式发展"),
        ("园区?(qū)建设", "园区建设"),
        ("园区\ufffd(qū)建设", "园区建设"),
        ("园区?qū,建设", "园区,建设"),
        ("園區?(q?)建設", "園區建設"),
        ("加快?jiā4)步伐", "加快?jiā4)步伐"),  # no syllable shape: left alone
        ("真的吗?shi的", "真的吗?shi的"),  # no tone mark, no brackets: a real question mark
        ("问题?Yes", "问题?Yes"),
        ("网址 news.cn/?zhǔn=1", "网址 news.cn/?zhǔn=1"),  # not after a Chinese character
    ],
)
def test_strip_pinyin(raw, clean):
    assert cleaning.strip_pinyin(raw) == clean


def test_lost_characters_glosses_and_private_use_glyphs_leave_the_article_text():
    private_use = "\ue40c\uf8ff\U000f0001\U0010fffd"
    page = (f"## 常州新区加{private_use}快建设\n\n本报讯 新区推进项目链?liàn)式招引,"
            f"围{private_use[0]}绕重点产业强链补链?(liàn)。\n")
    text = "".join(part for article in parse_page(page).articles
                   for part in (article.headline, *article.paragraphs))
    assert "常州新区加快建设" in text and "推进项目链式招引,围绕重点产业强链补链。" in text
    assert "?" not in text and "liàn" not in text
    assert not any("\ue000" <= ch <= "\uf8ff" or ch >= "\U000f0000" for ch in text)


def test_rejoin_paragraphs_at_column_breaks():
    paragraphs = ["因地制宜发展新质", "生产力。特色工艺。", "会议指出,要", "加快发展。", "成功签约;", "揭牌。"]
    assert cleaning.rejoin_paragraphs(paragraphs) == [
        "因地制宜发展新质生产力。特色工艺。", "会议指出,要加快发展。", "成功签约;", "揭牌。",
    ]


def test_rejoin_latin_words_and_hyphens():
    assert cleaning.join_broken("supply", "chain") == "supply chain"
    assert cleaning.join_broken("semi-", "conductor") == "semiconductor"
    assert cleaning.join_broken("产业发", "展") == "产业发展"


@pytest.mark.parametrize("text", ["好。", "他说:“好。”", "是吗?", "签约;", "如下:"])
def test_sentence_ends(text):
    assert cleaning.ends_sentence(text)


@pytest.mark.parametrize("text", ["产业发", "建言资政、", "陈金虎说,", "会议召开", "“好”"])
def test_not_sentence_ends(text):
    assert not cleaning.ends_sentence(text)


@pytest.mark.parametrize(
    "line",
    ["更多>>", "视频推荐", "版权声明", "邮发代号:27-92", "发行热线:85057666、81853183", "无锡地区零售价1.5元",
     "新闻投稿 jnwbzbb@163.com", "2024年10月31日 星期四", "A2 要闻", "第3版", "江南晚报", "武进新闻", "返回顶部"],
)
def test_furniture_lines(line):
    assert furniture.is_furniture_line(line)


@pytest.mark.parametrize(
    "line",
    ["区政府第34次常务会议召开", "市长作政府工作报告", "市民可拨打热线:12345反映问题,相关部门将在三个工作日内答复,"
     "确保群众诉求件件有回应、事事有着落,全年共受理诉求十万余件。", "中国电科来锡考察"],
)
def test_not_furniture(line):
    assert not furniture.is_furniture_line(line)


@pytest.mark.parametrize(
    "text, names, rest",
    [
        ("本报讯 (记者 朱梦琪) 昨天,大会举行。", ["朱梦琪"], "昨天,大会举行。"),
        ("本报讯(韩晖 记者 黄雅婷) 半导体产业", ["韩晖", "黄雅婷"], "半导体产业"),
        ("本报讯 (见习记者 黄鑫 记者 史莲寅) 昨天下午", ["黄鑫", "史莲寅"], "昨天下午"),
        ("本报讯 2月18日,摩尔线程", [], "2月18日,摩尔线程"),
        ("本报讯(通讯员 李明 记者 王芳)近日,", ["李明", "王芳"], "近日,"),
        ("新华社南京10月30日电(记者 张三)江苏省", ["张三"], "江苏省"),
        ("本报讯(扩大开放)不是人名", [], "(扩大开放)不是人名"),
    ],
)
def test_parse_lede(text, names, rest):
    lede = bylines.parse_lede(text, text)
    assert lede is not None
    assert (lede.names, lede.rest) == (names, rest)


def test_lede_names_keep_traditional_script():
    original = "本報訊 (記者 惲淇丞) 昨天"
    from archive.text.script import to_simplified_chars

    lede = bylines.parse_lede(to_simplified_chars(original), original)
    assert lede.names == ["惲淇丞"]


def test_signoff_credit_and_meta():
    assert bylines.parse_signoff("(惠晓婧)", "(惠晓婧)") == ["惠晓婧"]
    assert bylines.parse_signoff("(记者 王平 通讯员 李明)", "(记者 王平 通讯员 李明)") == ["王平", "李明"]
    assert bylines.parse_signoff("(扩大)会议召开", "(扩大)会议召开") is None
    assert bylines.parse_credit("项目开工。 徐晶玮 摄", "项目开工。 徐晶玮 摄") == (["徐晶玮"], "项目开工。")
    meta = "时间:2025-03-06 20:22:49 来源:武进新闻 作者:阳湖网"
    assert bylines.parse_meta_line(meta, meta) == {"time": "2025-03-06 20:22:49", "origin": "武进新闻", "author": "阳湖网"}
    assert bylines.parse_meta_line("会议时间:明天", "会议时间:明天") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("昨天,大会举行", FuzzyDate(datetime.date(2024, 10, 30), DAY)),
        ("今天上午", FuzzyDate(datetime.date(2024, 10, 31), DAY)),
        ("前天下午", FuzzyDate(datetime.date(2024, 10, 29), DAY)),
        ("10月22日—23日,代表团", FuzzyDate(datetime.date(2024, 10, 22), DAY)),
        ("2023年12月5日,会议", FuzzyDate(datetime.date(2023, 12, 5), DAY)),
        ("时间:2025-03-06 20:22:49", FuzzyDate(datetime.date(2025, 3, 6), DAY)),
        ("2024年9月,项目开工", FuzzyDate(datetime.date(2024, 9, 1), MONTH)),
        ("半导体产业是关键。10月30日,市长", FuzzyDate(datetime.date(2024, 10, 30), DAY)),
    ],
)
def test_resolve_first_date(text, expected):
    assert resolve_first_date(text, ISSUE) == expected


def test_december_date_in_january_issue_is_last_year():
    january = FuzzyDate(datetime.date(2025, 1, 2), DAY)
    assert resolve_first_date("12月30日,会议召开", january).value == datetime.date(2024, 12, 30)


def test_relative_date_without_issue_date_is_unknown():
    assert not resolve_first_date("昨天,大会举行", FuzzyDate.unknown()).known
    assert resolve_first_date("没有日期的句子。", ISSUE) is None


@pytest.mark.parametrize("value", ["2024-02-30", "24-1-1", "昨天", "2024/13"])
def test_catalog_dates_are_validated(value):
    with pytest.raises(ValueError):
        parse_iso_fuzzy(value)


def test_hard_break_headline_lines_join():
    units = split_units("区委常委会  \n(扩大)会议召开\n\n积极抢占新质生产力新赛道  \n壮大高质量发展核心竞争力\n")
    assert [unit.text for unit in units] == ["区委常委会(扩大)会议召开", "积极抢占新质生产力新赛道 壮大高质量发展核心竞争力"]


def test_headline_run_roles():
    assert split_headline_run(["双向赋能 共创未来", "2024常州·深圳开放创新合作交流会举行"]) == (
        "双向赋能 共创未来", "2024常州·深圳开放创新合作交流会举行", "")
    assert split_headline_run(["陈金虎率团赴深圳开展经贸洽谈活动", "深化拓展务实合作 加快锻造新质生产力"]) == (
        "", "陈金虎率团赴深圳开展经贸洽谈活动", "深化拓展务实合作 加快锻造新质生产力")
    assert split_headline_run(["引题", "主标题", "副标题"]) == ("引题", "主标题", "副标题")
    assert is_slogan("聚力“芯”赛道 打造“芯”高地") and not is_slogan("摩尔线程系统级产品研发总部签约 一批生态企业同步落户")


def test_decode_refuses_binary_and_empty():
    for data in (b"", b"  \n", b"\x00\x01\x02" * 100):
        with pytest.raises(UndecodableFile):
            decode_bytes(data)


OTHER_PAPER = """常州日报

2024年11月5日 星期二

A3 经济

新能源汽车产业链再添新项目
总投资50亿元

本报讯(记者 李明 通讯员 王芳)11月4日,新能源汽车核心零部件项目在金坛区开工。项目建成后
将形成年产100万套的能力。

该项目由江苏某某科技有限公司投资建设。
(李明)

智能制造大会开幕

11月4日,2024智能制造大会在常州开幕,来自全国的200多家企业参展。

大会期间将举行多场对接活动。

责任编辑 张三

版权所有 常州日报社
"""


def test_other_paper_without_catalog_generalises():
    page = parse_page(OTHER_PAPER, publication_names=frozenset({"常州日报"}))
    assert page.mastheads == ["常州日报"]
    assert page.date_hint == FuzzyDate(datetime.date(2024, 11, 5), DAY)
    first, second = page.articles
    assert (first.headline, first.subheadline) == ("新能源汽车产业链再添新项目", "总投资50亿元")
    assert first.bylines == ["李明", "王芳"]
    assert first.paragraphs == [
        "11月4日,新能源汽车核心零部件项目在金坛区开工。项目建成后将形成年产100万套的能力。",
        "该项目由江苏某某科技有限公司投资建设。",
    ]
    assert first.date == FuzzyDate(datetime.date(2024, 11, 4), DAY)
    assert second.headline == "智能制造大会开幕"
    assert second.paragraphs[-1] == "大会期间将举行多场对接活动。"
    assert all("版权" not in p and "责任编辑" not in p for a in page.articles for p in a.paragraphs)


def test_page_without_any_headline_keeps_its_text():
    page = parse_page("这是一段没有标题的正文,讲述某企业的新项目。\n\n第二段继续介绍。\n")
    (article,) = page.articles
    assert article.headline_derived
    assert article.headline == "这是一段没有标题的正文,讲述某企业的新项目。"
    assert article.paragraphs == ["这是一段没有标题的正文,讲述某企业的新项目。", "第二段继续介绍。"]


def test_long_texts_are_folded_and_classified_as_the_tables_say():
    """From LONG_TEXT characters on, the Simplified form and the script come from lookup arrays:
    the same as str.translate and the deletion count give, for every character OpenCC's tables
    list (BMP and beyond), with NUL, astral characters and lone surrogates mixed in."""
    from archive.text import script

    table, traditional_only, simplified_only = script._tables()
    without_traditional, without_simplified = script._deletion_tables()

    def by_translate(text):
        traditional = len(text) - len(text.translate(without_traditional))
        simplified = len(text) - len(text.translate(without_simplified))
        return text.translate(table), script.TRADITIONAL if traditional > simplified else script.SIMPLIFIED

    listed = "".join(chr(code) for code in sorted(table))
    samples = [
        listed, "".join(sorted(traditional_only)), "".join(sorted(simplified_only)),
        "武進區半導體\x00𠮷a\ud800" * 30, "武进区半导体\x00𠮷a\ud800" * 30,
        "x" * (script.LONG_TEXT - 1) + "體", "x" * script.LONG_TEXT + "體", "體体" * script.LONG_TEXT,
    ]
    for text in samples:
        assert (script.to_simplified_chars(text), script.detect_script(text)) == by_translate(text)
    assert script.detect_script(samples[1]) == "hant" and script.detect_script(samples[2]) == "hans"
    assert len(listed) >= script.LONG_TEXT and script.to_simplified_chars(listed) != listed
