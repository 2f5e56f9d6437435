"""The seed table: what the archive must hold after ingesting seeds/, checked
through the command, the database and the JSON API."""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from archive.models import Article, Section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

D = datetime.date

# file prefix → (publication, medium, city, district, issue date, articles)
# each article: (kind, kicker, headline, subheadline, bylines, date)
SEED_TABLE = {
    "000": ("武进日报", "print", "常州", "武进区", D(2024, 4, 19), [
        ("text", "聚力“芯”赛道 打造“芯”高地", "2024年第二届特色工艺半导体产业发展常州大会举行", "", ["朱梦琪"], D(2024, 4, 18)),
        ("text", "", "盛蕾会见出席特色工艺半导体产业发展常州大会嘉宾代表", "", ["朱梦琪"], D(2024, 4, 18)),
        ("text", "", "区政协常委会召开协商课题调研座谈会", "", ["张朕"], D(2024, 4, 18)),
        ("text", "", "“以武为进 向‘新’出发”融媒体行动系列活动举行", "", ["黄雅婷"], D(2024, 4, 18)),
        ("text", "", "全区残疾人工作会议暨区残联七届三次主席团会议召开", "", ["黄鑫", "史莲寅"], D(2024, 4, 18)),
    ]),
    "001": ("武进日报", "print", "常州", "武进区", D(2024, 10, 31), [
        ("text", "", "盛蕾走访调研我区化合物半导体产业重点企业",
         "积极抢占新质生产力新赛道 壮大高质量发展核心竞争力", ["韩晖", "黄雅婷"], D(2024, 10, 30)),
        ("text", "", "区委常委会(扩大)会议召开", "", ["朱梦琪"], D(2024, 10, 30)),
        ("text", "", "区政府第34次常务会议召开", "", ["朱梦琪"], D(2024, 10, 30)),
        ("photo", "", "重点项目进行时", "", ["徐晶玮"], D(2024, 10, 31)),
    ]),
    "002": ("武进新闻", "web", "常州", "武进区", D(2025, 3, 6), [
        ("text", "", "區領導調研芯片產業相關企業", "", ["陽湖網"], D(2025, 3, 6)),
    ]),
    "003": ("武进日报", "print", "常州", "武进区", D(2024, 10, 24), [
        ("text", "双向赋能 共创未来", "2024常州·深圳开放创新合作交流会举行", "", ["舒泉清", "朱梦琪"], D(2024, 10, 23)),
        ("text", "", "陈金虎率团赴深圳开展经贸洽谈活动", "深化拓展务实合作 加快锻造新质生产力",
         ["刘瑞", "朱梦琪"], D(2024, 10, 22)),
        ("text", "", "市领导走访我区重点文化企业", "", ["黄雅婷"], D(2024, 10, 23)),
        ("text", "", "全市镇(街道)国有和集体资产管理向人大报告制度试点工作推进会召开", "", ["史莲寅"], D(2024, 10, 23)),
        ("photo", "", "重点项目 进行时", "", ["徐晶玮"], D(2024, 10, 24)),
    ]),
    "004": ("江南晚报", "print", "无锡", "", D(2025, 2, 20), [
        ("text", "", "摩尔线程系统级产品研发总部签约 一批生态企业同步落户", "", ["惠晓婧"], D(2025, 2, 18)),
        ("text", "", "中国电科来锡考察", "", ["高美梅"], D(2025, 2, 19)),
        ("text", "", "市政府召开集成电路产业集群建设工作推进会",
         "凝心聚力把城市名片擦得更亮产业地标推得更高", ["王怡菡"], D(2025, 2, 19)),
    ]),
}

FURNITURE = [
    "出版物号", "邮发代号", "热线", "版权声明", "零售价", "jnwbzbb@163.com", "值班编委",
    "更多>>", "武進新聞20250306", "視頻推薦", "區領導調研智能微電網建設", "晨光涂料",
]


def section(prefix: str) -> Section:
    return Section.objects.select_related("publication").get(source_name__startswith=f"{prefix}_")


def test_seed_totals(seeded):
    assert Article.objects.filter(kind="text").count() == 16
    assert Article.objects.filter(kind="photo").count() == 2
    assert Section.objects.count() == 5


@pytest.mark.parametrize("prefix", sorted(SEED_TABLE))
def test_seed_section_metadata(seeded, prefix):
    publication, medium, city, district, issue_date, _ = SEED_TABLE[prefix]
    page = section(prefix)
    assert page.publication.name == publication
    assert page.publication.medium == medium
    assert (page.publication.city, page.publication.district) == (city, district)
    assert page.issue_date == issue_date
    assert page.issue_date_precision == "day"
    assert not page.metadata_inferred


@pytest.mark.parametrize("prefix", sorted(SEED_TABLE))
def test_seed_articles_match_table(seeded, prefix):
    _, _, city, district, _, expected = SEED_TABLE[prefix]
    articles = list(section(prefix).articles.order_by("position"))
    got = [(a.kind, a.kicker, a.headline, a.subheadline, a.bylines, a.date) for a in articles]
    assert got == expected
    assert [a.position for a in articles] == list(range(1, len(expected) + 1))
    assert all((a.city, a.district) == (city, district) for a in articles)
    assert all(a.date_precision == "day" for a in articles)


@pytest.mark.parametrize("prefix", sorted(SEED_TABLE))
def test_seed_raw_text_kept_verbatim(seeded, settings, prefix):
    page = section(prefix)
    original = (settings.ARCHIVE_SEEDS_DIR / page.source_name).read_text(encoding="utf-8")
    assert page.raw_text == original
    assert page.encoding == "utf-8"


def test_no_furniture_in_any_article(seeded):
    for article in Article.objects.all():
        text = "\n".join([article.kicker, article.headline, article.subheadline, article.body])
        for junk in FURNITURE:
            assert junk not in text, (article.headline, junk)


def test_traditional_web_page_kept_as_published(seeded):
    article = Article.objects.get(headline="區領導調研芯片產業相關企業")
    assert article.script == "hant"
    assert article.origin == "武進新聞"
    assert "(jìn)" not in article.body and "(" not in article.headline
    assert article.body.startswith("聚力“芯”賽道,打造新高地。今天上午,區委副書記、區長惲淇丞")
    assert "澎芯半導體(常州)有限公司" in article.body  # a real bracket survives pinyin removal
    assert len(article.paragraphs) == 3
    assert not article.body.startswith("時間")


def test_ledes_and_signoffs_leave_clean_bodies(seeded):
    lead = Article.objects.get(headline="2024年第二届特色工艺半导体产业发展常州大会举行")
    assert lead.paragraphs[0].startswith("昨天,2024年第二届特色工艺半导体产业发展常州大会隆重举行")
    moore = Article.objects.get(headline__startswith="摩尔线程系统级产品")
    assert moore.paragraphs[0].startswith("2月18日,摩尔线程系统级产品研发总部签约")
    assert not moore.paragraphs[-1].startswith("(")
    assert moore.paragraphs[-1].endswith("且均为集成电路领域企业。")


def test_column_breaks_rejoined(seeded):
    lead = Article.objects.get(headline="2024年第二届特色工艺半导体产业发展常州大会举行")
    assert "因地制宜发展新质生产力。特色工艺半导体产业" in lead.body
    assert "武进作为全市半导体产业发展的主阵地" in lead.body
    assert len(lead.paragraphs) == 10
    media = Article.objects.get(headline__startswith="“以武为进")
    assert "奋力推进中国式现代化武进新实践。" in media.body
    assert "宣传部部长薛红霞参加活动。今年是" in media.body
    shenzhen = Article.objects.get(headline="2024常州·深圳开放创新合作交流会举行")
    assert "讲席教授潘毅" in shenzhen.body and "董事长商院芳;" in shenzhen.body


def test_photo_items_keep_caption_and_credit(seeded):
    photo = Article.objects.get(section__source_name__startswith="001_", kind="photo")
    assert photo.body.startswith("市重大项目今创新能源项目位于武进国家高新区")
    assert photo.body.endswith("新增纳税5亿元/年。")
    other = Article.objects.get(section__source_name__startswith="003_", kind="photo")
    assert "武进青创港" in other.body and "摄" not in other.body


def test_api_lists_seed_articles_with_source(seeded, client):
    response = client.get(reverse("archive:api_article_list"), {"city": "无锡", "page_size": 50})
    data = response.json()
    assert data["count"] == 3
    assert {row["source"] for row in data["results"]} == {"004_61208d9fae118111.txt"}
    assert {row["publication"] for row in data["results"]} == {"江南晚报"}
    detail = client.get(data["results"][0]["url"].replace("/articles/", "/api/articles/")).json()
    assert "\n" in detail["body"]


def test_article_page_shows_raw_source_and_siblings(seeded, client):
    article = Article.objects.get(headline="中国电科来锡考察")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "摩尔线程系统级产品研发总部签约" in content  # a sibling on the same page
    assert "邮发代号:27-92" in content  # the raw source, furniture included
