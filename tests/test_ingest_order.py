"""A page's metadata comes from that page alone: the same files ingested in any order get the
same publication, place and date, and the placeholder publication never carries a place."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.ingest.catalog import Catalog
from archive.ingest.inference import UNKNOWN_PUBLICATION
from archive.ingest.loader import ingest_file, outlets_for_run
from archive.models import Article, Publication, Section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

# Synthetic pages of the kinds that leaked metadata from one page to the next: pages naming no
# outlet (the placeholder), a page naming an outlet nobody listed, reposts naming a listed one.
PAGES = {
    "wuxi_no_outlet.txt": (
        "新能源电池项目在江阴开工\n\n"
        "2023-06-02 09:10\n\n"
        "6月1日,一家电池材料企业的新厂在江阴临港开发区开工建设,计划明年投产。"
        "江阴市相关负责人表示,项目将带动上下游配套企业集聚。\n"
    ),
    "nantong_no_outlet.txt": (
        "海上风电装备基地签约落户如东\n\n"
        "发布时间:2022-03-15\n\n"
        "3月14日,如东县与一家风电装备企业签约,项目总投资约二十亿元。"
        "如东县将为项目提供用地和人才保障,推动海上风电产业链延伸。\n"
    ),
    "suzhou_repost.txt": (
        "苏报讯(记者 陈晓岚)昨天,昆山一批先进材料项目集中签约,总投资逾百亿元。"
        "昆山市负责人表示,将持续优化营商环境,服务项目早日建成。\n\n"
        "某某资讯网 版权所有\n"
    ),
    "xuzhou_unlisted_outlet.txt": (
        "徐州高新区集中开工一批项目\n\n"
        "发布时间:2021-05-27 来源:徐州高新区投资促进局\n\n"
        "5月26日,徐州高新区集中开工八个产业项目,涵盖工程机械配套和新材料。"
        "徐州高新区负责人介绍,项目全部达产后年产值可观。\n"
    ),
    "undated_no_outlet.txt": (
        "宿迁泗洪县推进纺织产业升级\n\n"
        "泗洪县近期组织纺织企业开展技术改造,多家企业引进了智能织造设备。"
        "泗洪县还将建设纺织产业公共服务平台。\n"
    ),
}


def metadata_of_every_page() -> dict[str, tuple]:
    rows = Section.objects.select_related("publication").order_by("source_name")
    facts = {}
    for section in rows:
        articles = tuple(section.articles.order_by("position").values_list("city", "district", "date", "date_precision"))
        facts[section.source_name] = (section.publication.name, section.host, section.issue_date, articles)
    return facts


def ingest_in_order(folder: Path, order: list[str]) -> dict[str, tuple]:
    Article.objects.all().delete()
    Section.objects.all().delete()
    Publication.objects.filter(listed=False).delete()
    catalog = Catalog.empty()
    outlets = outlets_for_run(catalog)
    for name in order:
        outcome = ingest_file(folder / name, catalog, outlets=outlets)
        assert not outcome.failed, outcome.message
    return metadata_of_every_page()


@pytest.fixture(scope="module")
def page_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_each_page_is_placed_by_its_own_text(page_folder):
    facts = ingest_in_order(page_folder, sorted(PAGES))
    assert facts["wuxi_no_outlet.txt"][3][0][:2] == ("无锡", "江阴市")
    assert facts["nantong_no_outlet.txt"][3][0][:2] == ("南通", "如东县")
    assert facts["suzhou_repost.txt"][:2] == ("苏州日报", "某某资讯网")
    assert facts["suzhou_repost.txt"][3][0][:2] == ("苏州", "昆山市")
    assert facts["xuzhou_unlisted_outlet.txt"][0] == "徐州高新区投资促进局"
    assert facts["undated_no_outlet.txt"][3][0] == ("宿迁", "泗洪县", None, "unknown")


def test_placeholder_publication_has_no_place(page_folder):
    ingest_in_order(page_folder, sorted(PAGES))
    placeholder = Publication.objects.get(name=UNKNOWN_PUBLICATION)
    assert (placeholder.city, placeholder.district, placeholder.listed) == ("", "", False)


def test_an_outlet_first_met_on_a_page_is_not_listed_and_has_no_place(page_folder):
    ingest_in_order(page_folder, sorted(PAGES))
    outlet = Publication.objects.get(name="徐州高新区投资促进局")
    assert (outlet.city, outlet.district, outlet.listed) == ("", "", False)


@settings(max_examples=12)
@given(order=st.permutations(sorted(PAGES)))
def test_same_metadata_in_any_order(page_folder, order):
    baseline = ingest_in_order(page_folder, sorted(PAGES))
    assert ingest_in_order(page_folder, list(order)) == baseline
