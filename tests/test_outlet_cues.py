"""Which outlet a page names as its story's origin, and which site showed it: the cues of
outlets.py on made-up lines, read with a small directory built here, and one whole file
ingested against the initial outlet list."""
from __future__ import annotations

import pytest

from archive.ingest.catalog import Catalog
from archive.ingest.loader import ingest_file
from archive.ingest.outlets import Attribution, Outlet, OutletDirectory
from archive.ingest.parsing import parse_page
from archive.models import Section


@pytest.fixture
def directory() -> OutletDirectory:
    return OutletDirectory(
        [
            Outlet("苏州日报", "print", "苏州"),
            Outlet("徐州日报", "print", "徐州"),
            Outlet("中国江苏网", "web"),
            Outlet("人民网", "web"),
            Outlet("扬子晚报", "print"),
            Outlet("国际在线", "web"),
        ],
        aliases={"苏报": "苏州日报", "紫牛新闻": "扬子晚报", "中央广电总台国际在线": "国际在线"},
    )


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def origin(directory: OutletDirectory, *lines: str) -> str:
    return directory.attribute(list(lines)).origin


STORY = "园区新签约的五个项目全部为先进制造业项目,总投资超过三十亿元。"


# -- lede and agency cues --------------------------------------------------------------------
def test_alias_in_a_lede_names_the_listed_outlet(directory):
    assert origin(directory, "苏报讯(记者 顾文澜)昨天上午,吴中区举行重大项目集中签约活动。") == "苏州日报"


def test_outlet_lede_with_colon(directory):
    assert origin(directory, "徐州日报讯:昨天,徐州经开区工程机械产业园二期开工。") == "徐州日报"


def test_lede_with_date_before_the_marker(directory):
    assert origin(directory, "中国江苏网5月2日讯 (记者 汤一鸣)记者从省工信厅获悉,一季度全省工业投资增长明显。") == "中国江苏网"


def test_unlisted_site_lede_with_date_and_place(directory):
    assert origin(directory, "星海网9月19日泰州消息 泰州医药高新区今天举办生物医药产业对接会。") == "星海网"


def test_agency_dateline(directory):
    assert origin(directory, "人民网南京4月1日电 江苏省今年将新建五G基站三万个。") == "人民网"


def test_site_with_trailing_zhan_names_the_site(directory):
    assert origin(directory, "鹿城网站4月19日讯 鹿城区今天召开外贸企业座谈会。") == "鹿城网"


def test_home_papers_lede_names_no_outlet(directory):
    assert origin(directory, "本报讯 昨天,吴中区举行重大项目集中签约活动。") == ""


# -- source lines ----------------------------------------------------------------------------
def test_source_line_accepts_any_name(directory):
    assert origin(directory, "来源:江宁区人民政府") == "江宁区人民政府"


@pytest.mark.parametrize("line", ["来源:网络", "来源:本站"])
def test_source_line_naming_nobody_gives_no_origin(directory, line):
    assert origin(directory, line) == ""


def test_source_line_field_tail_is_cut_for_a_listed_outlet(directory):
    assert origin(directory, "来源:中央广电总台国际在线编辑:陈小雨") == "国际在线"


def test_source_line_field_tail_is_cut_for_an_unlisted_outlet(directory):
    assert origin(directory, "来源:滨海广电总台融媒在线编辑:陈小雨") == "滨海广电总台融媒在线"


def test_paper_and_edition_in_book_title_marks(directory):
    assert origin(directory, "《 人民日报 》( 2023年12月25日 06 版)") == "人民日报"


def test_lone_programme_name_in_book_title_marks(directory):
    assert origin(directory, "《锡山新闻》") == "锡山新闻"


def test_picture_source_is_not_an_origin(directory):
    assert origin(directory, "图片来源:星海网") == ""


def test_reprint_notice_is_not_an_origin(directory):
    notice = "凡本网注明“来源:滨海在线”的所有作品,版权均属于滨海在线,未经授权不得转载、摘编或利用其他方式使用。"
    assert origin(directory, notice) == ""


# -- credits and attributions ----------------------------------------------------------------
def test_reporter_credit_with_two_brands_names_the_listed_paper(directory):
    assert origin(directory, "(扬子晚报/紫牛新闻记者 蒋雨桐)南京江北新区集成电路产业再添新项目。") == "扬子晚报"


def test_according_to_names_the_outlet_when_alone(directory):
    assert origin(directory, "据常州日报消息,常州今年将新增智能工厂二十家。") == "常州日报"


def test_lede_cue_wins_over_according_to(directory):
    lines = ["据常州日报消息,常州今年将新增智能工厂二十家。", "苏报讯(记者 顾文澜)昨天上午,吴中区举行签约活动。"]
    assert origin(directory, *lines) == "苏州日报"


def test_source_line_wins_over_reporter_credit(directory):
    lines = ["(扬子晚报/紫牛新闻记者 蒋雨桐)南京江北新区集成电路产业再添新项目。", "来源:江宁区人民政府"]
    assert origin(directory, *lines) == "江宁区人民政府"


# -- through the parser: a dateline's source field ------------------------------------------
def test_dateline_source_field_is_the_articles_origin():
    parsed = parse_page(page(
        "首页 > 政务公开 > 正文", "江宁区出台支持智能网联汽车产业发展十条措施",
        "发布时间:2024-06-03 来源:江宁区人民政府", STORY * 2))
    assert [article.origin for article in parsed.articles] == ["江宁区人民政府"]


def test_dateline_source_stops_at_the_editor_field():
    parsed = parse_page(page(
        "首页 > 要闻 > 正文", "滨海县海上风电运维基地投用",
        "2024-06-03 09:15 来源:滨海广电总台融媒在线编辑:陈小雨", STORY * 2))
    assert [article.origin for article in parsed.articles] == ["滨海广电总台融媒在线"]


# -- host ------------------------------------------------------------------------------------
def test_copyright_line_names_the_host_and_lede_the_origin(directory):
    attribution = directory.attribute([
        "苏报讯(记者 顾文澜)昨天上午,吴中区举行重大项目集中签约活动。",
        STORY,
        "星海都市网 版权所有",
    ])
    assert attribution == Attribution(origin="苏州日报", host="星海都市网")


def test_copyright_line_is_not_an_origin(directory):
    assert directory.attribute([STORY, "Copyright © 2021 星海都市网 版权所有"]).origin == ""


# -- the directory itself --------------------------------------------------------------------
def test_canonical_resolves_an_alias(directory):
    assert directory.canonical("苏报") == "苏州日报"


def test_canonical_keeps_an_unknown_name(directory):
    assert directory.canonical("星海网") == "星海网"


def test_canonical_reads_traditional_names(directory):
    assert directory.canonical("蘇州日報") == "苏州日报"


def test_resolve_finds_a_listed_outlet_inside_longer_words(directory):
    assert directory.resolve("扬子晚报/紫牛新闻") == "扬子晚报"


def test_resolve_needs_an_outlet_suffix_unless_named_as_source(directory):
    assert directory.resolve("江宁区人民政府") == ""
    assert directory.resolve("江宁区人民政府", named_as_source=True) == "江宁区人民政府"


def test_resolve_refuses_words_that_name_nobody(directory):
    assert directory.resolve("网络", named_as_source=True) == ""


# -- a whole file against the initial outlet list --------------------------------------------
@pytest.mark.django_db
def test_repost_is_filed_under_the_lede_outlet_with_the_site_as_host(tmp_path):
    text = page(
        "吴中区十个先进制造业项目集中签约",
        "",
        ("苏报讯(记者 顾文澜)昨天上午,吴中区举行先进制造业重大项目集中签约活动,十个项目总投资超过"
         "一百二十亿元,涵盖机器人、新材料和医疗器械等领域。"),
        "",
        "区相关负责人表示,将为签约项目配备专人服务,推动项目早开工、早投产。",
        "",
        "Copyright © 2021 星海都市网 版权所有",
    )
    path = tmp_path / "repost.txt"
    path.write_text(text, encoding="utf-8")
    outcome = ingest_file(path, Catalog.empty())
    assert not outcome.failed, outcome.message
    section = Section.objects.get(source_name="repost.txt")
    assert section.publication.name == "苏州日报"
    assert section.publication.listed is True  # the migration's row, not one made for this page
    assert section.host == "星海都市网"


@pytest.mark.django_db
def test_alias_from_the_initial_list_names_the_paper(tmp_path):
    text = page(
        "扬子江畔新添一座光伏组件工厂",
        "",
        ("(紫牛新闻记者 蒋雨桐)昨天,位于江北新区的一座光伏组件工厂正式投产,年产能达十吉瓦,"
         "产品将主要出口欧洲和东南亚市场。"),
    )
    path = tmp_path / "credit.txt"
    path.write_text(text, encoding="utf-8")
    outcome = ingest_file(path, Catalog.empty())
    assert not outcome.failed, outcome.message
    assert Section.objects.get(source_name="credit.txt").publication.name == "扬子晚报"
