"""The page parser on the shapes of page a dump comes in: web headers and footers around a
story, printed pages cut at a column's edge, titles with and without their bodies, dates a
story names or leaves out, pages in other languages or with decoding debris, and the places an
unlisted page is filed under. Every page here is made up for the test."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.ingest.catalog import Catalog
from archive.ingest.dates import DAY, UNKNOWN
from archive.ingest.loader import ingest_file
from archive.ingest.parsing import parse_page
from archive.models import Article, Publication, Section

# -- story text used on several pages (made up) --------------------------------------------
P1 = ("5月6日上午,锡东新城产业园举行智能装备项目集中签约仪式,共有十二个项目落户园区,"
      "总投资超过八十亿元,涵盖工业机器人、精密减速器和传感器等领域。")
P2 = ("园区负责人介绍,今年以来园区持续优化营商环境,为企业提供从注册到投产的全流程服务,"
      "力争年内实现新开工项目二十个以上。")
P3 = ("据了解,签约企业中有三家为行业内的专精特新“小巨人”企业,项目建成后预计可新增产值"
      "一百二十亿元,带动就业岗位三千余个。")
TITLE = "锡东新城十二个智能装备项目集中签约"


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def everything(parsed) -> str:
    """All text the parser kept in articles."""
    return "\n".join("\n".join([a.kicker, a.headline, a.subheadline, *a.paragraphs]) for a in parsed.articles)


def headlines(parsed) -> list[str]:
    return [a.headline for a in parsed.articles]


def only_article(parsed):
    assert len(parsed.articles) == 1, headlines(parsed)
    return parsed.articles[0]


# -- 1. web header glued: breadcrumb, title, dateline ----------------------------------------
DATELINES = {
    "stamp_source_author": ("2024-05-06 14:07 来源:锡山日报 作者:钱立群", dt.date(2024, 5, 6)),
    "published_source": ("发布时间:2021-05-27 来源:锡山区融媒体中心", dt.date(2021, 5, 27)),
    "time_source_views": ("时间:2022-09-14 08:30  来源:东港镇人民政府  浏览次数:356", dt.date(2022, 9, 14)),
    "english": ("Nov 12, 2025", dt.date(2025, 11, 12)),
}


@pytest.mark.parametrize("dateline,expected", DATELINES.values(), ids=list(DATELINES))
def test_breadcrumb_title_dateline(dateline, expected):
    parsed = parse_page(page("首页 > 地方 > 无锡 > 正文", TITLE, dateline, P1, P2))
    article = only_article(parsed)
    assert article.headline == TITLE
    assert article.paragraphs == [P1, P2]
    assert "首页 > 地方 > 无锡 > 正文" in parsed.dropped
    assert parsed.date_hint is not None and parsed.date_hint.value == expected
    kept = everything(parsed)
    assert "首页" not in kept and "正文" not in kept and dateline not in kept


def test_you_are_here_breadcrumb_is_not_in_article():
    parsed = parse_page(page("您当前的位置:首页 >> 新闻", TITLE, "2024-05-06 14:07 来源:锡山日报", P1, P2))
    article = only_article(parsed)
    assert article.headline == TITLE
    assert "位置" not in everything(parsed)


def test_dateline_with_type_and_view_count_fields():
    dateline = "资讯类型:热点 / 发布时间:2021-02-26 / 浏览:2168 次"
    parsed = parse_page(page("首页 > 资讯中心 > 正文", TITLE, dateline, P1, P2))
    article = only_article(parsed)
    assert article.headline == TITLE
    assert parsed.date_hint.value == dt.date(2021, 2, 26)
    assert "2168" not in everything(parsed) and "资讯类型" not in everything(parsed)


# -- 2. nav bar right above the title --------------------------------------------------------
def test_nav_bar_with_hard_break_is_not_joined_to_title():
    text = "要闻 | 城市 | 视频 | 原创  \n" + page(TITLE, "2024-05-06 14:07 来源:锡山日报", P1, P2)
    parsed = parse_page(text)
    article = only_article(parsed)
    assert article.headline == TITLE
    kept = everything(parsed)
    assert "要闻" not in kept and "视频" not in kept


# -- 3. site header above a breadcrumb -------------------------------------------------------
def test_site_header_above_breadcrumb_is_dropped():
    parsed = parse_page(page(
        "凤城新闻网", "讲好凤城故事 传播泰州声音", "泰州 多云 18℃~11℃", "logo",
        "首页 > 本地 > 正文", "海陵区新能源电池配套产业园首期竣工", "2023-04-11 09:12 来源:凤城新闻网",
        "4月10日,海陵区新能源电池配套产业园首期工程正式竣工,园区标准厂房面积达十五万平方米,"
        "首批入驻的六家企业将于下月陆续投产。",
    ))
    article = only_article(parsed)
    assert article.headline == "海陵区新能源电池配套产业园首期竣工"
    kept = everything(parsed)
    for debris in ("讲好凤城故事", "多云", "℃", "logo"):
        assert debris not in kept


# -- 4. footer furniture ---------------------------------------------------------------------
FOOTER_LINES = {
    "editor": "责任编辑:孙晓雯",
    "bracketed_editor": "[ 责任编辑:周一帆 ]",
    "share": "分享至",
    "app_prompt": "扫码下载凤城新闻客户端",
    "disclaimer": "声明:本文仅代表作者观点,不代表本站立场,文章内容仅供读者参考,如涉及作品内容、版权和其他问题,"
                  "请在三十日内与本站联系,我们将第一时间处理。",
    "taken_from_web": "文中内容、图片均来源于网络,如有侵权请联系本站删除",
    "copyright": "Copyright © 2020 锡城资讯网 版权所有",
    "placeholder": "{{title}}",
    "tags": "#智能制造# #项目签约#",
    "image_file": "微信图片_20210226.jpg",
    "url": "https://www.example.com/news/2024/0506/123.html",
    "previous": "上一篇:惠山区召开制造业高质量发展推进会",
    "next": "下一篇:新吴区企业服务专员上岗",
    "comments": "评论 0",
    "login": "用户名: 密码: 验证码:",
    "dated_link": "锡山区举办第三届工业设计大赛2025-02-20",
    "link_run": "东亭街道开展安全生产大检查 羊尖镇新建垃圾分类中转站投用 鹅湖镇举办荡口古镇文化节 厚桥街道召开年度工作会",
}


@pytest.mark.parametrize("footer", FOOTER_LINES.values(), ids=list(FOOTER_LINES))
def test_footer_line_is_not_in_any_article(footer):
    parsed = parse_page(page("首页 > 地方 > 无锡 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, P2, P3, footer))
    kept = everything(parsed)
    assert [p for a in parsed.articles for p in a.paragraphs] == [P1, P2, P3]
    assert footer not in kept
    assert parsed.articles[0].headline == TITLE


def test_editor_credit_at_a_paragraphs_end_is_cut():
    parsed = parse_page(page("首页 > 地方 > 无锡 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, P2 + "(责编:吴思远、冯晓)"))
    article = only_article(parsed)
    assert article.paragraphs == [P1, P2]


def test_a_whole_footer_block_leaves_the_story_intact():
    parsed = parse_page(page("首页 > 地方 > 无锡 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, P2, P3, *FOOTER_LINES.values()))
    article = only_article(parsed)
    assert article.paragraphs == [P1, P2, P3]


# -- 5. rejoining only on printed pages ------------------------------------------------------
CUT_LEFT = "本报讯 昨天上午,滨江经济开发区与三家新材料企业签署投资协议,项目总投资约四十五亿元,主要建设高性能"
CUT_RIGHT = "碳纤维及复合材料生产线,预计明年年底前建成投产。"


def test_printed_page_rejoins_a_paragraph_cut_at_a_column_edge():
    parsed = parse_page(page("滨江日报", "A3 经济", "2024年11月5日 星期二", "滨江开发区签下三个新材料项目",
                             CUT_LEFT, CUT_RIGHT))
    article = only_article(parsed)
    assert article.headline == "滨江开发区签下三个新材料项目"
    assert article.paragraphs == [CUT_LEFT.removeprefix("本报讯 ") + CUT_RIGHT]


def test_web_page_does_not_glue_short_lines_into_one_paragraph():
    caption = "签约仪式现场"
    parsed = parse_page(page("首页 > 地方 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, caption, P2))
    kept = [p for a in parsed.articles for p in a.paragraphs]
    assert P1 in kept and P2 in kept
    assert not any(caption in p and len(p) > len(caption) for p in kept)


def test_web_page_keeps_a_line_break_that_a_printed_page_would_rejoin():
    parsed = parse_page(page("首页 > 要闻 > 正文", "滨江开发区签下三个新材料项目", "2024-11-05 08:40 来源:滨江日报",
                             CUT_LEFT, CUT_RIGHT))
    article = only_article(parsed)
    assert article.paragraphs == [CUT_LEFT.removeprefix("本报讯 "), CUT_RIGHT]


def test_web_page_short_title_like_line_stays_its_own_line():
    subhead = "项目总投资八十亿元"
    parsed = parse_page(page("首页 > 要闻 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, subhead, P2, P3))
    kept = [p for a in parsed.articles for p in a.paragraphs] + headlines(parsed)
    assert subhead in kept
    assert P1 in kept and P2 in kept


def test_printed_page_date_header_sets_the_date_hint():
    parsed = parse_page(page("滨江日报", "2024年11月5日 星期二", "滨江开发区签下三个新材料项目",
                             CUT_LEFT, CUT_RIGHT))
    assert parsed.date_hint.value == dt.date(2024, 11, 5)
    assert only_article(parsed).date.value == dt.date(2024, 11, 4)  # 昨天


# -- 6. headlines ----------------------------------------------------------------------------
def test_title_ending_in_exclamation_above_dateline_is_the_headline():
    title = "总投资一百零二亿元!惠山区二十个重大项目集中开工!"
    parsed = parse_page(page("首页 > 要闻 > 正文", title, "2024-03-18 10:25 来源:惠山发布", P1, P2))
    assert only_article(parsed).headline == title


def test_page_without_title_derives_headline_from_first_sentence():
    first = "3月18日,惠山区举行一季度重大项目集中开工活动。"
    rest = "此次开工的二十个项目涵盖新能源、生物医药和高端装备等领域,总投资超过一百亿元,全部建成后可实现年产值约三百亿元。"
    parsed = parse_page(page(first + rest, P2))
    article = only_article(parsed)
    assert article.headline_derived is True
    assert article.headline and first.startswith(article.headline.rstrip("…"))


def test_page_with_title_has_headline_not_derived():
    parsed = parse_page(page("首页 > 要闻 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报", P1))
    assert only_article(parsed).headline_derived is False


@pytest.mark.parametrize("credits,names", [
    ("本刊记者/陶子明 特约记者/闻一航", ["陶子明", "闻一航"]),
    ("记者 柏文涛", ["柏文涛"]),
])
def test_credits_only_line_is_bylines_not_headline(credits, names):
    parsed = parse_page(page("锡东新城智能装备产业加速集聚", credits, P1, P2))
    article = only_article(parsed)
    assert article.headline == "锡东新城智能装备产业加速集聚"
    assert credits not in everything(parsed)
    for name in names:
        assert name in article.bylines


def test_title_repeated_with_breadcrumb_debris_keeps_the_clean_title():
    parsed = parse_page(page("锡城资讯网首页正文" + TITLE + "2024-05-06", TITLE,
                             "2024-05-06 14:07 来源:锡山日报", P1, P2))
    article = only_article(parsed)
    assert article.headline == TITLE
    assert "首页" not in everything(parsed)


def test_site_name_under_title_does_not_swallow_the_dateline():
    parsed = parse_page(page(TITLE, "锡城资讯网", "2024-05-06 14:07 来源:锡山日报 作者:钱立群", P1, P2))
    article = only_article(parsed)
    assert article.headline == TITLE
    assert parsed.date_hint.value == dt.date(2024, 5, 6)
    assert "钱立群" in article.bylines
    assert "2024-05-06" not in everything(parsed)


# -- 7. no stubs -----------------------------------------------------------------------------
def test_title_parted_from_its_body_is_one_article():
    parsed = parse_page(page("惠山区新签约项目二十个", "", "", "", P1, P2))
    article = only_article(parsed)
    assert article.headline == "惠山区新签约项目二十个"
    assert article.headline_derived is False
    assert article.paragraphs == [P1, P2]


def test_half_paragraph_after_jump_line_goes_back_into_the_article():
    tail = "企业负责人表示将加快设备安装调试"
    parsed = parse_page(page("滨江日报", "A1 要闻", "滨江开发区签下三个新材料项目",
                             "本报讯 " + P1, P2 + "(下转4版)", "", "", tail))
    article = only_article(parsed)
    assert article.paragraphs[-1].endswith(tail)
    assert "下转" not in everything(parsed)


def test_heading_left_after_a_jump_line_goes_back_into_the_article():
    half = "园区负责人介绍,今年以来园区持续优化营商环境,为企业提供从注册到投产的全流程服务,力争年内实现新开工项目"
    parsed = parse_page(page("滨江日报", "A1 要闻", "## 滨江开发区签下三个新材料项目", "本报讯 " + P1, half,
                             "(下转4版)", "", "## 二十个以上"))
    article = only_article(parsed)
    assert article.headline == "滨江开发区签下三个新材料项目"
    assert "二十个以上" in article.paragraphs[-1]
    assert "下转" not in everything(parsed)


def test_short_line_before_a_closing_source_line_is_not_a_stub():
    parsed = parse_page(page(TITLE, "", P1, P2, "", "企业负责人表示将加快设备安装调试", "来源:锡山日报"))
    article = only_article(parsed)
    assert article.paragraphs[:2] == [P1, P2]
    assert "企业负责人表示将加快设备安装调试" in article.paragraphs


def test_title_parted_from_its_body_by_a_photo_is_the_headline():
    parsed = parse_page(page("惠山区新签约项目二十个", "", "签约仪式现场 王小川 摄", "", P1, P2))
    text = [a for a in parsed.articles if a.kind == "text"]
    assert len(text) == 1
    assert text[0].headline == "惠山区新签约项目二十个" and text[0].headline_derived is False
    assert text[0].paragraphs == [P1, P2]


def test_no_article_is_only_a_credit_line():
    parsed = parse_page(page("首页 > 要闻 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报",
                             P1, P2, "", "", "记者 柏文涛"))
    for article in parsed.articles:
        assert article.paragraphs, article


def test_trailing_title_and_credit_make_no_stub_article():
    parsed = parse_page(page("锡东新城十二个项目签约", "", P1, P2, "", "", "惠山区再添两家智能工厂", "记者 王小川"))
    for article in parsed.articles:
        assert article.paragraphs and any(len(p) > 20 for p in article.paragraphs), article
    assert [p for a in parsed.articles for p in a.paragraphs][:2] == [P1, P2]


# -- 8. dates --------------------------------------------------------------------------------
def test_lede_month_day_takes_the_year_from_the_lead():
    parsed = parse_page(page(
        "2019锡东智能装备经贸洽谈会开幕",
        "9月20日,2019锡东智能装备经贸洽谈会在锡东新城会展中心开幕,来自国内外的三百余家企业参展,"
        "现场签约项目二十六个。",
    ))
    article = only_article(parsed)
    assert article.date.value == dt.date(2019, 9, 20) and article.date.precision == DAY
    assert article.year_inferred is True


def test_lede_month_day_takes_the_year_named_in_the_lead():
    parsed = parse_page(page(
        "锡东新城重点项目推进会召开", "",
        "9月20日,锡东新城举行2023年度重点项目推进会,会议通报了前三季度四十个重点项目的建设进度,部署了四季度工作。",
    ))
    article = only_article(parsed)
    assert (article.date.value, article.date.precision) == (dt.date(2023, 9, 20), DAY)
    assert article.year_inferred is True


def test_lede_date_after_the_dateline_is_a_plan_not_the_date():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城数据中心项目即将开工",
                             "发布时间:2021-05-27 来源:锡山区融媒体中心",
                             "锡东新城数据中心项目计划于5月28日开工,项目总投资二十亿元,建成后将提供一万个标准机柜。",
                             P2))
    article = only_article(parsed)
    assert article.date.value == dt.date(2021, 5, 27)
    assert article.year_inferred is False


def test_lede_date_two_months_before_the_dateline_is_background():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城数据中心项目主体封顶",
                             "发布时间:2021-05-27 来源:锡山区融媒体中心",
                             "3月20日签约落户的锡东新城数据中心项目,目前主体结构已经封顶,预计年底前投入使用。",
                             P2))
    assert only_article(parsed).date.value == dt.date(2021, 5, 27)


def test_last_year_in_lede_gives_the_dateline_date():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城数据中心项目主体封顶",
                             "发布时间:2021-05-27 来源:锡山区融媒体中心",
                             "去年11月3日签约落户的锡东新城数据中心项目,目前主体结构已经封顶,预计年底前投入使用。",
                             P2))
    assert only_article(parsed).date.value == dt.date(2021, 5, 27)


def test_yesterday_against_the_dateline_is_the_day_before():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城数据中心项目主体封顶",
                             "发布时间:2021-05-27 来源:锡山区融媒体中心",
                             "昨天,锡东新城数据中心项目主体结构顺利封顶,预计年底前投入使用,可提供一万个标准机柜。",
                             P2))
    article = only_article(parsed)
    assert article.date.value == dt.date(2021, 5, 26) and article.date.precision == DAY


def test_undated_page_has_unknown_date():
    parsed = parse_page(page("锡东新城数据中心项目主体封顶",
                             "近日,锡东新城数据中心项目主体结构顺利封顶,预计年底前投入使用,可提供一万个标准机柜。",
                             P2))
    article = only_article(parsed)
    assert article.date.precision == UNKNOWN and article.date.value is None
    assert article.year_inferred is False


# -- 9. language and debris ------------------------------------------------------------------
JAPANESE = page(
    "蘇州の工業団地で新しい半導体工場が完成",
    "蘇州市の工業団地では、日本の電子部品メーカーが建設を進めていた新しい工場が完成し、記念の式典が行われました。",
    "この工場では車載用の半導体部品を生産する予定で、来年には年間の生産額が百億円に達する見込みです。",
)


def test_japanese_page_is_marked_ja():
    assert parse_page(JAPANESE).language == "ja"


def test_japanese_page_articles_have_no_script():
    parsed = parse_page(JAPANESE)
    assert parsed.articles
    assert all(article.script == "none" for article in parsed.articles)


def test_korean_page_is_marked_ko():
    parsed = parse_page(page(
        "쑤저우 공업단지에 새 배터리 공장 준공",
        "쑤저우 공업단지에서 한국 배터리 기업이 건설한 새 공장이 준공되어 기념식이 열렸다.",
        "이 공장은 내년부터 전기차용 배터리를 생산할 예정이며 연간 생산액은 일조 원에 이를 것으로 보인다.",
    ))
    assert parsed.language == "ko"
    assert all(article.script == "none" for article in parsed.articles)


TRADITIONAL = page(
    "武進區新能源汽車零部件產業園開工",
    "本報訊 昨天上午,武進區新能源汽車零部件產業園舉行開工儀式,首批入駐的八家企業將建設電機、電控和"
    "輕量化車身生產線,總投資約六十億元。",
)


def test_traditional_page_is_hant_and_chinese():
    parsed = parse_page(TRADITIONAL)
    assert parsed.language == "zh"
    assert parsed.script == "hant"
    assert all(article.script == "hant" for article in parsed.articles)


def test_traditional_web_page_header_and_footer_are_read_through_simplified_rules():
    parsed = parse_page(page(
        "首頁 > 地方 > 無錫 > 正文", "錫東新城十二個智能裝備項目集中簽約",
        "發佈時間:2021-05-27 來源:錫山區融媒體中心",
        "5月26日上午,錫東新城產業園舉行智能裝備項目集中簽約儀式,共有十二個項目落戶園區,總投資超過八十億元。",
        "責任編輯:孫曉雯",
    ))
    article = only_article(parsed)
    assert article.headline == "錫東新城十二個智能裝備項目集中簽約"
    assert article.origin == "錫山區融媒體中心"  # kept in the page's own script
    assert article.date.value == dt.date(2021, 5, 26)
    assert "首頁" not in everything(parsed) and "孫曉雯" not in everything(parsed)


def test_misdecoded_question_mark_never_in_a_title_headline():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城?智能装备项目集中签约", "锡城资讯网",
                             "2024-05-06 14:07 来源:锡山日报", P1, P2))
    assert parsed.articles
    assert all("?" not in article.headline for article in parsed.articles)


def test_misdecoded_question_mark_never_in_a_derived_headline():
    parsed = parse_page(page(
        "锡东新城?智能装备产业园昨天举行签约仪式,共有十二个项目落户园区,总投资超过八十亿元,涵盖工业机器人和传感器。",
        P2))
    article = only_article(parsed)
    assert article.headline_derived is True
    assert "?" not in article.headline


def test_private_use_characters_are_removed():
    parsed = parse_page(page("首页 > 要闻 > 正文", "锡东新城\ue000智能装备项目集中签约",
                             "2024-05-06 14:07 来源:锡山日报", P1[:20] + "\ue012" + P1[20:], P2))
    article = only_article(parsed)
    assert article.headline == "锡东新城智能装备项目集中签约"
    assert "\ue000" not in everything(parsed) and "\ue012" not in everything(parsed)
    assert article.paragraphs[0] == P1


def test_pinyin_annotation_is_removed_from_traditional_text():
    parsed = parse_page(page(
        "武進(jìn)區新能源汽車零部件產業園開工",
        "本報訊 昨天上午,武進(jìn)區新能源汽車零部件產業園舉行開工儀式,首批入駐的八家企業將建設電機生產線。",
    ))
    kept = everything(parsed)
    assert "jìn" not in kept
    assert "武進區" in parsed.articles[0].headline


# -- 10. places, through a whole file --------------------------------------------------------
def ingest(tmp_path, name: str, text: str) -> Section:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = ingest_file(path, Catalog.empty())
    assert not outcome.failed, outcome.message
    return Section.objects.get(source_name=name)


def story(title: str, body: str) -> str:
    return page(title, "", body, "")


@pytest.mark.django_db
def test_high_tech_zone_and_district_place_a_page_in_changzhou_xinbei(tmp_path):
    section = ingest(tmp_path, "zone.txt", story(
        "常州高新区新增两家光伏龙头项目",
        "本报讯 常州高新区昨天与两家光伏企业签约,项目落户新北区薛家镇,总投资七十亿元,"
        "将建设高效电池片和组件生产基地。新北区相关负责人表示将全力做好要素保障。",
    ))
    article = section.articles.get()
    assert (article.city, article.district) == ("常州", "新北区")


@pytest.mark.django_db
@pytest.mark.parametrize("city", ["徐州", "南京"])
def test_gulou_district_follows_the_city_named(tmp_path, city):
    section = ingest(tmp_path, f"gulou_{city}.txt", story(
        f"{city}鼓楼区新开一家智能制造服务中心",
        f"本报讯 {city}市鼓楼区智能制造服务中心昨天揭牌运营,中心将为区内中小企业提供数字化改造诊断、"
        "技术对接和人才培训等服务,首批已有三十家企业申请入驻。鼓楼区将每年安排专项资金予以支持。",
    ))
    article = section.articles.get()
    assert (article.city, article.district) == (city, "鼓楼区")


@pytest.mark.django_db
def test_taiwan_new_taipei_is_not_changzhou_xinbei(tmp_path):
    section = ingest(tmp_path, "taiwan.txt", story(
        "台湾新北市一家电子企业来访洽谈合作",
        "本报讯 来自台湾新北市的一家电子元件企业代表团昨天到访,双方就建设精密连接器生产线进行了深入洽谈。"
        "新北市这家企业主要生产消费电子用连接器。",
    ))
    article = section.articles.get()
    assert article.city != "常州"
    assert article.district != "新北区"


@pytest.mark.django_db
def test_two_articles_on_one_page_get_their_own_cities(tmp_path):
    text = page(
        "扬州江都区船舶配套产业园开工", "",
        "本报讯 扬州市江都区船舶配套产业园昨天开工建设,园区规划面积三千亩,江都区将重点引进船用发动机和"
        "甲板机械企业,预计五年内形成百亿级产业集群。", "",
        "盐城大丰区海上风电装备基地投产", "",
        "本报讯 盐城市大丰区海上风电装备制造基地首台风机昨天下线,大丰区已集聚风电装备企业四十余家,"
        "今年产值有望突破三百亿元。", "",
    )
    section = ingest(tmp_path, "two_cities.txt", text)
    places = {a.headline: (a.city, a.district) for a in section.articles.all()}
    assert places == {
        "扬州江都区船舶配套产业园开工": ("扬州", "江都区"),
        "盐城大丰区海上风电装备基地投产": ("盐城", "大丰区"),
    }


@pytest.mark.django_db
def test_page_naming_no_outlet_is_filed_under_unknown_without_place(tmp_path):
    section = ingest(tmp_path, "no_outlet.txt", story(
        "常州高新区新增两家光伏龙头项目",
        "常州高新区日前与两家光伏企业签约,项目落户新北区薛家镇,总投资七十亿元,将建设高效电池片和组件"
        "生产基地,预计明年投产。",
    ))
    assert section.publication.name == "未知来源"
    publication = Publication.objects.get(name="未知来源")
    assert (publication.city, publication.district) == ("", "")


@pytest.mark.django_db
def test_stored_article_keeps_the_parsed_fields(tmp_path):
    section = ingest(tmp_path, "stored.txt", page(
        "首页 > 地方 > 无锡 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报 作者:钱立群", P1, P2))
    article = section.articles.get()
    assert isinstance(article, Article)
    assert article.headline == TITLE and article.headline_derived is False
    assert article.body == f"{P1}\n{P2}"
    assert (article.date, article.date_precision, article.date_year_inferred) == (dt.date(2024, 5, 6), DAY, False)
    assert article.script == "hans"
    assert section.language == "zh" and section.issue_date == dt.date(2024, 5, 6)


@pytest.mark.django_db
def test_japanese_file_is_stored_as_japanese_without_script(tmp_path):
    section = ingest(tmp_path, "japanese.txt", JAPANESE)
    assert section.language == "ja"
    assert set(section.articles.values_list("script", flat=True)) == {"none"}


@pytest.mark.django_db
def test_traditional_file_is_stored_as_chinese_in_traditional_script(tmp_path):
    section = ingest(tmp_path, "traditional.txt", TRADITIONAL)
    assert section.language == "zh"
    assert set(section.articles.values_list("script", flat=True)) == {"hant"}


# -- shapes met on the held-out pages ----------------------------------------------------------
def test_site_name_and_time_of_day_make_a_dateline():
    parsed = parse_page(page("首页 > 要闻 > 正文", TITLE, "某某资讯网 2020/7/6 10:38:59    行业新闻", P1, P2))
    assert parsed.date_hint.value == dt.date(2020, 7, 6)
    assert only_article(parsed).headline == TITLE


def test_menu_of_words_set_apart_by_single_spaces_is_a_nav_bar():
    parsed = parse_page(page("首 页 区县招商 产业园区 企业选址 优惠政策 新闻中心", TITLE,
                             "发布时间:2024-05-06 来源:锡山区融媒体中心", P1, P2))
    assert only_article(parsed).headline == TITLE
    assert "企业选址" not in everything(parsed)


@pytest.mark.parametrize("widget", ["打印 放大 缩小", "用微信扫描二维码分享", "江苏切换", "下载", "layer",
                                    "总值班: 吴某 编辑: 周某", "本网首发"])
def test_more_widgets_are_not_in_any_article(widget):
    parsed = parse_page(page(TITLE, "2024-05-06 14:07 来源:锡山日报", P1, widget, P2))
    assert widget.split()[0] not in everything(parsed)
    assert only_article(parsed).paragraphs == [P1, P2]


def test_summary_box_label_is_cut_and_its_text_kept():
    parsed = parse_page(page(TITLE, "2024-05-06 14:07 来源:锡山日报", "核心提示:" + P1, P2))
    assert only_article(parsed).paragraphs == [P1, P2]


@pytest.mark.parametrize("lede,expected", [
    ("16日下午,锡东新城举行项目签约仪式,共有十二个项目落户。", dt.date(2020, 7, 16)),
    ("新年新气象。6日召开的动员会上,锡东新城十三个项目集中开工。", dt.date(2020, 7, 6)),
    ("28日,锡东新城与一家企业签约,项目为期3日完成选址。", dt.date(2020, 6, 28)),
])
def test_a_day_alone_in_the_lede_is_read_in_the_datelines_month(lede, expected):
    parsed = parse_page(page(TITLE, "2020-07-17 01:45", lede, P2))
    assert only_article(parsed).date.value == expected


def test_two_days_of_one_month_date_the_story_by_the_first():
    parsed = parse_page(page(TITLE, "2005年11月27日08:23", "11月26、27日,锡东新城举办招商洽谈活动。", P2))
    assert only_article(parsed).date.value == dt.date(2005, 11, 26)


@pytest.mark.parametrize("title", ["广告业迎来数字化转型", "户外广告产业园开园"])
def test_a_story_about_the_advertising_trade_is_not_an_ad_label(title):
    parsed = parse_page(page(title, "2024-05-06 14:07 来源:锡山日报", P1, P2))
    assert only_article(parsed).headline == title


def test_an_ad_slot_label_is_furniture():
    parsed = parse_page(page("列表头部广告一条", "首页 > 要闻 > 正文", TITLE, "2024-05-06 14:07 来源:锡山日报", P1))
    assert "广告" not in everything(parsed)


# -- a lede that opens with its full date --------------------------------------------------------
def test_lede_opening_with_its_date_is_kept_and_dates_the_page():
    lede = "2024年5月5日," + P1.split(",", 1)[1]
    parsed = parse_page(page(TITLE, "", lede, "", P2))
    article = only_article(parsed)
    assert article.paragraphs[0] == lede  # the story's first sentence, not a dateline to drop
    assert article.date.value == dt.date(2024, 5, 5)
    assert parsed.date_hint.value == dt.date(2024, 5, 5)


def test_a_date_with_fields_after_it_is_still_a_dateline():
    parsed = parse_page(page(TITLE, "2024年5月6日 来源:锡山日报。", P1, P2))
    assert "锡山日报" not in "\n".join(only_article(parsed).paragraphs)
