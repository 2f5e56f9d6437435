"""Industry intelligence: entities and industry tags extracted at ingest,
facets and filters, entity pages, duplicate stories and editors' corrections."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.extract.companies import extract_companies
from archive.extract.industries import score_industries
from archive.extract.people import extract_people
from archive.extract.places import extract_places
from archive.extract.stories import similarity, sketch
from archive.models import Article, ArticleIndustry, Entity, Industry
from tests.test_admin import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.database]

API = reverse("archive:api_article_list")


def detail(client, article: Article) -> dict:
    return client.get(reverse("archive:api_article", args=[article.pk])).json()


def names(rows: list[dict]) -> set[str]:
    return {row["name"] for row in rows}


def test_001_lead_companies_and_mayor(client, seeded):
    lead = Article.objects.get(headline__startswith="盛蕾走访调研")
    data = detail(client, lead)
    assert {"中讯半导体(江苏)有限公司", "毫厘科技(常州)有限公司", "江苏昂宝力德宝微电子有限公司"} <= names(data["companies"])
    mayor = next(row for row in data["people"] if row["name"] == "盛蕾")
    assert mayor["role"] == "市长"
    assert "半导体/集成电路" in names(data["industries"])


def test_004_lead_names_moore_threads(client, seeded):
    assert "摩尔线程" in names(detail(client, Article.objects.get(headline__startswith="摩尔线程"))["companies"])


def test_002_person_found_in_either_script(client, seeded):
    web = Article.objects.get(headline="區領導調研芯片產業相關企業")
    person = next(row for row in detail(client, web)["people"] if row["name"] == "恽淇丞")
    assert "区长" in person["role"]
    simplified = client.get(API, {"person": "恽淇丞", "page_size": 50}).json()
    traditional = client.get(API, {"person": "惲淇丞", "page_size": 50}).json()
    assert simplified["count"] == traditional["count"] == 6
    assert web.pk in {row["id"] for row in traditional["results"]}


SEMICONDUCTOR = {
    "2024年第二届特色工艺半导体产业发展常州大会举行", "盛蕾走访调研我区化合物半导体产业重点企业",
    "區領導調研芯片產業相關企業", "摩尔线程系统级产品研发总部签约 一批生态企业同步落户",
    "市政府召开集成电路产业集群建设工作推进会",
}


def test_industry_tags_on_the_seeds(client, seeded):
    tagged = client.get(API, {"industry": "半导体/集成电路", "page_size": 50}).json()
    assert SEMICONDUCTOR <= {row["headline"] for row in tagged["results"]}
    synbio = {row["headline"] for row in client.get(API, {"industry": "合成生物", "page_size": 50}).json()["results"]}
    assert synbio == {"区政协常委会召开协商课题调研座谈会", "陈金虎率团赴深圳开展经贸洽谈活动"}


def test_entity_facets_and_filters_in_search(client, seeded):
    data = client.get(API, {"q": "半导体", "page_size": 50}).json()
    for facet in ("industry", "company", "person", "place"):
        assert data["facets"][facet], facet
    assert {"value": "半导体/集成电路", "count": 5} in data["facets"]["industry"]
    only_wuxi_chips = client.get(API, {"q": "集成电路", "company": "摩尔线程"}).json()
    assert [row["headline"] for row in only_wuxi_chips["results"]] == [
        "摩尔线程系统级产品研发总部签约 一批生态企业同步落户"]
    page = client.get(reverse("search:search"), {"q": "半导体", "industry": "半导体/集成电路"})
    assert page.status_code == 200 and "产业:半导体/集成电路" in page.content.decode()


def test_entity_and_industry_pages(client, seeded):
    person = Entity.objects.get(kind="person", name="恽淇丞")
    response = client.get(person.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "共 6 篇报道" in content
    assert "2024年10月" in content and "2025年3月" in content  # timeline by month
    assert "盛蕾" in content  # reported with
    industry = Industry.objects.get(name="半导体/集成电路")
    page = client.get(industry.get_absolute_url()).content.decode()
    assert "摩尔线程" in page and "无锡" in page and "常州" in page
    assert client.get(reverse("archive:entity_index")).status_code == 200
    assert client.get(reverse("archive:entity", args=[999999])).status_code == 404


def test_editor_corrections_survive_reingest_and_reextraction(admin_client, settings, seeded):
    article = Article.objects.get(headline__startswith="摩尔线程")
    wrong = ArticleIndustry.objects.get(article=article, industry__name="人工智能")
    robots = Industry.objects.get(name="机器人")
    data = change_form_data(article)
    data["industry_links-0-DELETE"] = "on" if data["industry_links-0-id"] == str(wrong.pk) else ""
    data["industry_links-1-DELETE"] = "on" if data.get("industry_links-1-id") == str(wrong.pk) else ""
    total = int(data["industry_links-TOTAL_FORMS"])
    data.update({"industry_links-TOTAL_FORMS": str(total + 1), f"industry_links-{total}-article": str(article.pk),
                 f"industry_links-{total}-industry": str(robots.pk)})
    response = admin_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    Article.objects.filter(pk=article.pk).update(edited=False)  # let re-ingest touch the article itself
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), verbosity=0)
    call_command("extract_entities", verbosity=0)
    current = {link.industry.name: link for link in ArticleIndustry.objects.filter(article=article)}
    assert current["人工智能"].removed
    assert current["机器人"].source == "editor" and not current["机器人"].removed
    assert "人工智能" not in {
        row["name"] for row in detail_json(admin_client, article)["industries"]}


def detail_json(client, article):
    return client.get(reverse("archive:api_article", args=[article.pk])).json()


def test_taxonomy_is_editable_and_reextraction_uses_it(client, seeded):
    industry = Industry.objects.get(name="新材料")
    industry.keywords += "\n残疾人"
    industry.save()
    call_command("extract_entities", verbosity=0)
    article = Article.objects.get(headline__startswith="全区残疾人工作会议")
    assert "新材料" in names(detail(client, article)["industries"])


COPY = """常州日报

摩尔线程研发总部落户无锡

本报讯 2月18日,摩尔线程系统级产品研发总部签约,一批生态企业同步落户。市委书记杜小刚与摩尔线程创始人、董事长兼首席执行官张建中一行会谈。副市长周文栋,摩尔线程联合创始人、首席运营官周苑,惠山区主要负责同志,紫光计算机、爱簿科技、加瓦力计算机、雪浪数制、松应科技、钛虎机器人等生态企业负责人参加会谈。

杜小刚欢迎张建中一行的到来。他表示,集成电路关乎“国之大事”。习近平总书记明确指出,要聚焦集成电路等重点领域,加快锻造长板、补齐短板,构建自主可控产业生态。

张建中简要介绍了摩尔线程主要业务情况。他表示,此次摩尔线程与生态圈内的“亲朋好友”集体来锡创新创业,正是看中了无锡在集成电路、人工智能等领域的产业基础、创新活力和配套优势。

(记者 李明)
"""


def test_same_story_in_two_papers_is_grouped(client, settings, tmp_path, seeded):
    (tmp_path / "copy.txt").write_text(COPY, encoding="utf-8")
    traditional = COPY.replace("常州日报", "江南网").translate(str.maketrans("线书记与发东业员营责导区领来锡", "線書記與發東業員營責導區領來錫"))
    (tmp_path / "copy_hant.txt").write_text(traditional, encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    original = Article.objects.get(headline__startswith="摩尔线程系统级产品")
    copies = Article.objects.filter(section__source_name__in=["copy.txt", "copy_hant.txt"])
    assert copies.count() == 2
    assert {copy.story_key for copy in copies} == {original.story_key}
    results = client.get(API, {"q": "摩尔线程"}).json()["results"]
    assert len(results) == 1  # one per story
    page = client.get(reverse("search:search"), {"q": "摩尔线程"}).content.decode()
    assert "其他转载" in page and "江南网" in page  # the row lists its copies by outlet
    assert len(detail(client, original)["also_in"]) == 2


def test_copies_are_queried_only_when_the_index_holds_some(client, tmp_path, seeded,
                                                           django_capture_on_commit_callbacks):
    """A page whose stories have one article each skips the query for other copies."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def copy_queries(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"q": "摩尔线程"}).status_code == 200
        return sum('"story_key" IN' in query["sql"] for query in queries.captured_queries)

    assert (copy_queries(API), copy_queries(reverse("search:search"))) == (0, 0)
    edited = Article.objects.get(headline__startswith="摩尔线程系统级产品")
    with django_capture_on_commit_callbacks(execute=True):
        edited.save()  # re-indexed: its old document stays in the index, deleted, with the same story
    assert (copy_queries(API), copy_queries(reverse("search:search"))) == (0, 0)
    (tmp_path / "copy.txt").write_text(COPY, encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    assert (copy_queries(API), copy_queries(reverse("search:search"))) == (1, 1)
    assert "其他转载" in client.get(reverse("search:search"), {"q": "摩尔线程"}).content.decode()


def _page(*stories: str) -> str:
    """A print page carrying the given stories (COPY's text under other headlines)."""
    body = COPY.split("\n", 4)[4]
    return "常州日报\n\n" + "\n".join(f"## {headline}\n\n{body}" for headline in stories)


def test_two_copies_on_one_page_are_one_story(db, tmp_path):
    """A page's new articles are stored together; the second copy still finds the first."""
    (tmp_path / "page.txt").write_text(_page("摩尔线程研发总部落户无锡", "摩尔线程总部签约"), encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    first, second = Article.objects.order_by("position")
    assert first.story_key == f"a{first.pk}" and second.story_key == first.story_key
    assert first.story_sketch and first.story_buckets.count() == 8


def test_a_pages_new_articles_cost_the_same_statements_however_many(db, tmp_path):
    """Rows for a page's new articles are written per table, not per article."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    pages = (("warm-up.txt", ["壬"]), ("two.txt", ["甲", "乙"]), ("six.txt", ["丙", "丁", "戊", "己", "庚", "辛"]))
    for name, headlines in pages:  # the first page creates the publication and the entities
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(_page(*(f"{word}项目签约落户无锡" for word in headlines)), encoding="utf-8")
        with CaptureQueriesContext(connection) as queries:
            call_command("ingest", str(folder), verbosity=0)
        counts.append(len(queries))
    assert Article.objects.count() == 9
    assert counts[1] == counts[2]


def test_unrelated_stories_stay_apart(seeded):
    assert Article.objects.values("story_key").distinct().count() == 18


def test_extraction_units():
    assert extract_companies("现场调研了常州天地人和生物科技有限公司和常州泰美瑞生物科技有限公司") == {
        "常州天地人和生物科技有限公司": [], "常州泰美瑞生物科技有限公司": []}
    companies = extract_companies("常州亦泓科技有限公司今年扩产。亦泓科技表示将加大投入。")
    assert companies == {"常州亦泓科技有限公司": ["亦泓科技"]}
    assert "坚持科技" not in extract_companies("坚持科技创新引领,持续推进科技成果转化")
    assert extract_people("区委副书记、区长恽淇丞主持会议,副区长王斐参加。") == {
        "恽淇丞": "区委副书记、区长", "王斐": "副区长"}
    assert extract_people("习近平总书记关于新质生产力的重要论述") == {}
    assert extract_places("武进作为常州市的主阵地,与深圳合作") == ["武进区", "常州", "深圳"]
    taxonomy = [("新能源", ["新能源"]), ("新能源汽车", ["新能源汽车"])]
    assert score_industries("新能源汽车产业大会", "新能源汽车零部件", taxonomy) == {"新能源汽车": 4}
    from django.conf import settings

    seeds = settings.ARCHIVE_SEEDS_DIR
    text = (seeds / "004_61208d9fae118111.txt").read_text(encoding="utf-8")[:1500]
    other = (seeds / "000_8ab7af27befc82c2.txt").read_text(encoding="utf-8")[:1500]
    assert similarity(sketch(text), sketch(text[:900] + "另有补充。")) > 0.8  # an abridged copy
    assert similarity(sketch(text), sketch(other)) < 0.2


def test_article_page_links_its_entities(client, seeded):
    lead = Article.objects.get(headline__startswith="盛蕾走访调研")
    content = client.get(lead.get_absolute_url()).content.decode()
    mayor = Entity.objects.get(kind="person", name="盛蕾")
    industry = Industry.objects.get(name="半导体/集成电路")
    assert f'href="{mayor.get_absolute_url()}"><span lang="zh-Hans">盛蕾</span></a><span class="muted">（<span lang="zh-Hans">市长</span>）</span>' in content
    assert f'href="{industry.get_absolute_url()}"><span lang="zh-Hans">半导体/集成电路</span></a>' in content


def test_story_candidates_come_from_the_latest_holders_of_each_key(db, monkeypatch):
    """One query gives, per lookup key, the latest BUCKET_SCAN other articles holding it."""
    from archive.extract import store
    from archive.models import StoryBucket
    from tests.factories import make_article

    monkeypatch.setattr(store, "BUCKET_SCAN", 2)
    articles = [make_article() for _ in range(4)]
    for article in articles:
        StoryBucket.objects.create(article=article, value=11)
    StoryBucket.objects.create(article=articles[0], value=22)
    me = articles[3]
    holders = store._latest_holders([11, 22, 33], me.pk)
    assert sorted(holders) == sorted([(11, articles[2].pk), (11, articles[1].pk), (22, articles[0].pk)])


def test_name_scanner_finds_what_a_longest_first_regex_finds():
    """Known people are found as a regex of their names (longest first) would find them."""
    import random
    import re

    from archive.extract.store import NameScanner

    rng = random.Random(4)
    alphabet = "王李张杭勇潘冬铃恽淇丞明华国强的了在是"
    names = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randrange(2, 5))) for _ in range(60)},
                   key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    scanner = NameScanner(names)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        assert scanner.find(text) == list(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))
    assert NameScanner(["杭勇", "杭勇军"]).find("市领导杭勇军、杭勇出席") == ["杭勇军", "杭勇"]
    assert NameScanner([]).find("杭勇") == []


def test_company_scans_skip_only_clauses_that_cannot_match():
    """full_names, enumerated_names and short_names skip a clause without 公司, 等 or a short-name
    suffix before running their patterns; on the seed pages they find exactly what their
    patterns find when every clause is scanned."""
    import re

    from django.conf import settings

    from archive.extract import companies as c

    def clauses(text):
        return c._CLAUSE_SPLIT.split(text)

    def full(text):
        names = [c._trim_left(m.group(0), c.FULL_SUFFIX).lstrip("()")
                 for clause in clauses(text) for m in c._FULL_RE.finditer(clause)]
        return [name for name in names if len(c.brand_of(name)) >= 2 or len(name) >= 8]

    def enumerated(text):
        names = []
        for clause in clauses(text.replace("、", "、")):
            for m in c._ENUMERATION_RE.finditer(clause):
                items = m.group(1).split("、")
                items[0] = c._trim_left(items[0])
                names += [item for item in items if 2 <= len(item) <= 16 and not re.search(c.FULL_SUFFIX, item)]
        return names

    def short(text):
        names = [c._trim_left(m.group(0), c.SHORT_SUFFIX)
                 for clause in clauses(text) for part in clause.split("、") for m in c._SHORT_RE.finditer(part)]
        return [name for name in names if len(c.brand_of(name)) >= 2]

    assert all(suffix.endswith("公司") for suffix in c.FULL_SUFFIX[3:-1].split("|"))
    seeds = sorted(Path(settings.ARCHIVE_SEEDS_DIR).glob("*.txt"))
    pages = [path.read_text(encoding="utf-8") for path in seeds]
    found = {"full": 0, "enumerated": 0, "short": 0}
    for text in pages:
        assert c.full_names(text) == full(text)
        assert c.enumerated_names(text) == enumerated(text)
        assert c.short_names(text) == short(text)
        found["full"] += len(full(text))
        found["enumerated"] += len(enumerated(text))
        found["short"] += len(short(text))
    assert all(found.values()), found  # the seeds exercise all three
