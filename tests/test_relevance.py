"""The suite's relevance test set: judged queries over the seeds and the synthetic pages of
tests/relevance/pages/, scored with search/evaluation.py as a reader runs them.

The pages (made up for this test) reproduce what the search must get right: Taiwan/HK and
mainland vocabulary (積體電路/集成电路, 晶片/芯片, 軟體/软件, 記憶體/内存, 伺服器/服务器), a story
reposted by another outlet (every copy is relevant), names and companies the word cutter
cuts across (主任何沛然 → 主/任何/沛然), pages that hold both halves of a query word apart
(水利工程 … 机械 for 工程机械: not relevant), and Traditional and Simplified text. The
judgments (tests/relevance/judgments.json) say what a reader wants for each query, never
what the search returns today.

The archive is built once for the module: the seeds and the pages are ingested inside a
transaction that is rolled back at the end, and the index is cleared before and after.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from archive.models import Article
from search.evaluation import load_judgments, run_judged
from search.indexing.outbox import backend

RELEVANCE_DIR = Path(__file__).parent / "relevance"
PAGES_DIR = RELEVANCE_DIR / "pages"
JUDGMENTS = RELEVANCE_DIR / "judgments.json"
PAGE_NAMES = frozenset(path.name for path in PAGES_DIR.glob("*.txt"))
SEED_JINCHUANG = "001_b8044a892ed5c8e9.txt#重点项目进行时"

# Every test is marked, so that the session sets the test database up before `archive` uses it.
pytestmark = pytest.mark.django_db

MIN_RECALL = 0.95
MIN_PRECISION_AT_10 = 0.90


def key_of(article: Article) -> str:
    """A synthetic page's file name; a seed article's file name and headline."""
    name = article.section.source_name
    return name if name in PAGE_NAMES else f"{name}#{article.headline}"


@pytest.fixture(autouse=True)
def empty_search_index():
    """Overrides conftest's per-test reset: this module's index is built once, by `archive`."""
    yield


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The seeds and the synthetic pages ingested and indexed, once for the module."""
    with django_db_blocker.unblock():
        backend().clear()
        try:
            with transaction.atomic():
                call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), str(PAGES_DIR),
                             verbosity=0, no_progress=True)
                yield
                transaction.set_rollback(True)
        finally:
            backend().clear()


@pytest.fixture(scope="module")
def judged():
    return load_judgments(JUDGMENTS)


@pytest.fixture(scope="module")
def summary(archive, judged):
    return run_judged(judged, key_of)


@pytest.fixture(scope="module")
def outcomes(summary):
    return {outcome.judged.query: outcome for outcome in summary.outcomes}


def report(summary) -> str:
    return "\n".join(summary.report_lines())


# -- the set itself ------------------------------------------------------------------------------
def test_every_page_is_one_article(archive):
    articles = Article.objects.select_related("section").filter(section__source_name__in=PAGE_NAMES)
    per_page: dict[str, int] = {}
    for article in articles:
        per_page[article.section.source_name] = per_page.get(article.section.source_name, 0) + 1
    assert per_page == dict.fromkeys(PAGE_NAMES, 1)


def test_every_judged_key_names_an_article(archive, judged):
    keys = {key_of(article) for article in Article.objects.select_related("section")}
    unknown = sorted({key for query in judged for key in query.relevant} - keys)
    assert not unknown, unknown


def test_the_set_has_enough_queries_and_pages(judged):
    assert len(judged) >= 60
    assert len({query.query for query in judged}) == len(judged), "a query is judged twice"
    assert all(query.relevant for query in judged)
    assert len(PAGE_NAMES) >= 15


# -- the figures ---------------------------------------------------------------------------------
def test_recall(summary):
    assert summary.recall >= MIN_RECALL, report(summary)


def test_precision_at_10(summary):
    assert summary.precision_at_10 >= MIN_PRECISION_AT_10, report(summary)


# -- single cases, so that a regression points at its cause ---------------------------------------
def found_by(outcomes, query: str) -> frozenset[str]:
    return outcomes[query].found


@pytest.mark.parametrize("query,target,distractor", [
    pytest.param("工程机械", "gcjx_xuzhou.txt", "distractor_gcjx_suining.txt", id="gongcheng-jixie"),
    pytest.param("远航科技", "yhkj_changzhou.txt", "distractor_yhkj_lianyungang.txt", id="yuanhang-keji"),
])
def test_a_page_with_the_halves_of_a_word_apart_is_no_match(outcomes, query, target, distractor):
    found = found_by(outcomes, query)
    assert target in found
    assert distractor not in found


@pytest.mark.parametrize("query,page", [
    pytest.param("何沛然", "name_he_changzhou.txt", id="zhuren-he"),          # 办公室主任何沛然: 主/任何/沛然
    pytest.param("江晓舟", "name_jiang_zhenjiang.txt", id="huizhang-jiang"),  # 会长江晓舟: 会/长江/晓舟
    pytest.param("于瀚文", "name_yu_iot_wuxi.txt", id="mishuzhang-yu"),       # 秘书长于瀚文说: 秘书长/于瀚/文说
    pytest.param("于海澄", "name_jiang_zhenjiang.txt", id="youyu-yu"),        # 大会由于海澄主持: 由于/海澄
    pytest.param("澄华创", "company_glued_jiangyin.txt", id="company-chuangxin"),  # 澄华创新材料: 澄华/创新/材料
    pytest.param("锡通", "company_glued_jiangyin.txt", id="company-tongguo"),      # 锡通过滤: 锡/通过/滤
    pytest.param("今创", SEED_JINCHUANG, id="seed-company-chuangxin"),              # 今创新能源: 今/创新/能源
])
def test_a_name_cut_across_words_is_found(outcomes, query, page):
    assert page in found_by(outcomes, query)


@pytest.mark.parametrize("query,page", [
    pytest.param("晶片", "cn_ic_nanjing.txt", id="jingpian-finds-xinpian"),
    pytest.param("芯片", "tw_chip_kunshan.txt", id="xinpian-finds-jingpian"),
    pytest.param("積體電路", "cn_ic_nanjing.txt", id="jitidianlu-finds-jichengdianlu"),
    pytest.param("集成电路", "tw_chip_kunshan.txt", id="jichengdianlu-finds-jitidianlu"),
    pytest.param("軟體", "cn_software_nanjing.txt", id="ruanti-finds-ruanjian"),
    pytest.param("软件", "tw_software_xuzhou.txt", id="ruanjian-finds-ruanti"),
    pytest.param("記憶體", "cn_memory_nantong.txt", id="jiyiti-finds-neicun"),
    pytest.param("内存", "tw_server_memory_wujiang.txt", id="neicun-finds-jiyiti"),
    pytest.param("伺服器", "cn_server_suqian.txt", id="sifuqi-finds-fuwuqi"),
    pytest.param("服务器", "tw_server_memory_wujiang.txt", id="fuwuqi-finds-sifuqi"),
])
def test_taiwan_and_mainland_words_find_each_other(outcomes, query, page):
    assert page in found_by(outcomes, query)


@pytest.mark.parametrize("regional,mainland", [
    pytest.param("積體電路", "集成电路", id="jitidianlu"),
    pytest.param("集成電路", "集成电路", id="jichengdianlu-hant"),
    pytest.param("晶片", "芯片", id="jingpian"),
    pytest.param("軟體", "软件", id="ruanti"),
    pytest.param("記憶體", "内存", id="jiyiti"),
    pytest.param("伺服器", "服务器", id="sifuqi"),
])
def test_a_regional_word_finds_what_its_mainland_word_finds(outcomes, regional, mainland):
    """Taiwan/HK usage is folded to mainland usage for index and query alike."""
    regional_found, mainland_found = found_by(outcomes, regional), found_by(outcomes, mainland)
    assert regional_found == mainland_found, (
        f"only {regional}: {sorted(regional_found - mainland_found)}; only {mainland}: {sorted(mainland_found - regional_found)}")


@pytest.mark.parametrize("query,page", [
    pytest.param("物联网", "hant_iot_wuxi.txt", id="hans-query-hant-page"),
    pytest.param("物聯網", "name_yu_iot_wuxi.txt", id="hant-query-hans-page"),
    pytest.param("林柏勋", "tw_chip_kunshan.txt", id="hans-name-hant-page"),
    pytest.param("单抗", "copy_pharma_taizhou_b_hant.txt", id="hans-query-hant-copy"),
])
def test_either_script_finds_the_other(outcomes, query, page):
    assert page in found_by(outcomes, query)


@pytest.mark.parametrize("query", [pytest.param("沧澜风电", id="same-script"), pytest.param("泓舟生物", id="other-script")])
def test_every_copy_of_a_story_is_found_and_listed(outcomes, query):
    outcome = outcomes[query]
    assert outcome.judged.relevant <= outcome.found
    assert outcome.judged.relevant <= set(outcome.top)
