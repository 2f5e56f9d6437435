"""The archive's data: publications, their source pages (sections), the
articles cut from them, and an audit record of every ingest run."""
from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")
    YEAR = "year", _("年")
    UNKNOWN = "unknown", _("未知")


class Script(models.TextChoices):
    SIMPLIFIED = "hans", _("简体")
    TRADITIONAL = "hant", _("繁体")
    NONE = "none", _("非中文")


class Language(models.TextChoices):
    CHINESE = "zh", _("中文")
    JAPANESE = "ja", _("日文")
    KOREAN = "ko", _("韩文")
    LATIN = "latn", _("拉丁字母文字")


class Publication(models.Model):
    class Medium(models.TextChoices):
        PRINT = "print", _("报纸")
        WEB = "web", _("网站")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    medium = models.CharField(_("类型"), max_length=10, choices=Medium.choices, default=Medium.PRINT)
    city = models.CharField(_("城市"), max_length=50, blank=True)
    district = models.CharField(_("区县"), max_length=50, blank=True)
    listed = models.BooleanField(
        _("在名录中"), default=True,
        help_text=_("名录中的出版物用于识别页面上的来源（如“苏报讯”“来源：新华日报”）；导入时从页面推断出的出版物不在名录中。"),
    )
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("页面上对它的其他称呼，如苏州日报的“苏报”。"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("出版物")
        verbose_name_plural = _("出版物")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """One source page or document of one publication issue, kept verbatim.

    Identified by the folder it was ingested from and its path under that folder
    (archive/ingest/identity.py); an empty folder marks a page first ingested when pages
    were known by their bare file name, which that name still finds."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="sections", verbose_name=_("出版物"))
    source_root = models.CharField(
        _("源文件夹"), max_length=500, blank=True, editable=False,
        help_text=_("导入时给出的文件夹（绝对路径）；为空表示早期导入，只记得文件名。"),
    )
    source_name = models.CharField(_("源文件"), max_length=255, help_text=_("相对于源文件夹的路径。"))
    content_hash = models.CharField(_("内容哈希"), max_length=64, db_index=True)
    encoding = models.CharField(_("编码"), max_length=20)
    raw_text = models.TextField(_("原始文本"))
    issue_date = models.DateField(_("出版日期"), null=True, blank=True)
    issue_date_precision = models.CharField(
        _("日期精度"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    page_label = models.CharField(_("版面"), max_length=50, blank=True)
    host = models.CharField(
        _("转载网站"), max_length=100, blank=True, help_text=_("页面取自的网站，当它不是文章的原出处时。"),
    )
    language = models.CharField(_("语言"), max_length=4, choices=Language.choices, default=Language.CHINESE)
    metadata_inferred = models.BooleanField(
        _("元数据为推断"), default=False, help_text=_("不在目录中，出版物、城市和日期由正文推断。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-issue_date", "publication__name", "page_label", "source_name"]
        constraints = [models.UniqueConstraint(fields=["source_root", "source_name"], name="unique_section_source")]
        verbose_name = _("版面")
        verbose_name_plural = _("版面")

    def __str__(self) -> str:
        parts = [str(self.publication), self.issue_date.isoformat() if self.issue_date else "?"]
        if self.page_label:
            parts.append(self.page_label)
        return " ".join(parts)


class ArticleQuerySet(models.QuerySet):
    def for_listing(self) -> ArticleQuerySet:
        """Everything a listing or result page shows, in one query: not the page's raw text
        or the story sketch, kilobytes per row that no listing shows (`with_source()` has them)."""
        return self.with_source().defer("section__raw_text", "story_sketch")

    def with_source(self) -> ArticleQuerySet:
        """The article with its section (raw text included) and publication, in one query."""
        return self.select_related("section__publication")

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by(models.F("date").desc(nulls_last=True), "section_id", "position")


class Article(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        PHOTO = "photo", _("图片")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="articles", verbose_name=_("版面"))
    position = models.PositiveIntegerField(_("版内顺序"), help_text=_("在版面上的顺序，从 1 开始。"))
    kicker = models.CharField(_("引题"), max_length=300, blank=True)
    headline = models.CharField(_("标题"), max_length=300)
    headline_derived = models.BooleanField(
        _("标题为摘取"), default=False, help_text=_("原文没有标题，此标题取自正文首句，并非报纸自己的标题。"),
    )
    subheadline = models.CharField(_("副题"), max_length=300, blank=True)
    bylines = models.JSONField(_("署名"), default=list, blank=True, help_text=_("记者、通讯员、摄影者的名字列表。"))
    origin = models.CharField(_("来源"), max_length=100, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("每行一段。"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    date = models.DateField(_("日期"), null=True, blank=True)
    date_precision = models.CharField(
        _("日期精度"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_year_inferred = models.BooleanField(
        _("年份为推断"), default=False, help_text=_("原文只写月日，年份取自页面的其他位置（日期行、标题或正文）。"),
    )
    city = models.CharField(_("城市"), max_length=50, blank=True, db_index=True)
    district = models.CharField(_("区县"), max_length=50, blank=True, db_index=True)
    script = models.CharField(_("字形"), max_length=4, choices=Script.choices, default=Script.SIMPLIFIED)
    source_key = models.CharField(
        _("导入键"), max_length=64, editable=False, db_index=True,
        help_text=_("由导入时的标题算出，重新导入时据此找回同一篇文章。"),
    )
    story_key = models.CharField(
        _("同稿组"), max_length=40, blank=True, db_index=True, editable=False,
        help_text=_("同一报道的各个副本（另一报纸转载、另一字形的网页）共用此键。"),
    )
    story_sketch = models.JSONField(_("同稿特征"), default=list, blank=True, editable=False)
    edited = models.BooleanField(
        _("已人工编辑"), default=False, help_text=_("编辑过的文章在重新导入时保留，不被覆盖。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position"]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["kind"]),
            # a city's listing, newest first, read in index order (sorting a city's articles
            # took up to a tenth of a second at 100,000 articles)
            models.Index(fields=["city", "-date", "section", "position"], name="article_city_newest"),
        ]
        verbose_name = _("文章")
        verbose_name_plural = _("文章")

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("archive:article", args=[self.pk])

    @property
    def publication(self) -> Publication:
        return self.section.publication

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.body.split("\n") if line.strip()]

    @property
    def full_title(self) -> str:
        return " ".join(part for part in (self.kicker, self.headline, self.subheadline) if part)


class IngestRun(models.Model):
    """Audit record of one run of the ingest command."""

    started_at = models.DateTimeField(_("开始"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    paths = models.JSONField(_("路径"), default=list)
    files_seen = models.PositiveIntegerField(_("文件数"), default=0)
    files_failed = models.PositiveIntegerField(_("失败文件"), default=0)
    files_skipped = models.PositiveIntegerField(_("跳过"), default=0, help_text=_("不是页面文件或与已存页面内容相同。"))
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    kept = models.PositiveIntegerField(_("保留（已编辑）"), default=0)
    removed = models.PositiveIntegerField(_("删除"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class IngestFileResult(models.Model):
    """What one run did with one file, and why."""

    class Status(models.TextChoices):
        CREATED = "created", _("新建")
        UPDATED = "updated", _("更新")
        UNCHANGED = "unchanged", _("未变")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("跳过")
        DUPLICATE = "duplicate", _("重复")

    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="files", verbose_name=_("导入记录"))
    source_name = models.CharField(_("文件"), max_length=500)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    message = models.TextField(_("说明"), blank=True)
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    kept = models.PositiveIntegerField(_("保留（已编辑）"), default=0)
    removed = models.PositiveIntegerField(_("删除"), default=0)

    class Meta:
        ordering = ["run", "source_name"]
        verbose_name = _("文件结果")
        verbose_name_plural = _("文件结果")

    def __str__(self) -> str:
        return f"{self.source_name}: {self.get_status_display()}"


class Industry(models.Model):
    """An industry of the taxonomy, with the keywords that tag articles with it."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    keywords = models.TextField(
        _("关键词"), help_text=_("每行一个；简体书写，繁体文章同样命中。修改后运行 extract_entities 重新标注。")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("产业")
        verbose_name_plural = _("产业")

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.replace(",", "\n").splitlines() if line.strip()]

    def get_absolute_url(self) -> str:
        return reverse("archive:industry", args=[self.pk])


class Entity(models.Model):
    """A company, person or place, under its Simplified canonical name."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("企业")
        PERSON = "person", _("人物")
        PLACE = "place", _("地点")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("简称或其他写法，如“中讯半导体”。")
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="unique_entity_name")]
        verbose_name = _("实体")
        verbose_name_plural = _("实体")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:entity", args=[self.pk])


class Curation(models.TextChoices):
    AUTO = "auto", _("自动抽取")
    EDITOR = "editor", _("编辑添加")


class CuratedLink(models.Model):
    """A tag extraction found or an editor set. Editors' rows and removals survive re-extraction."""

    source = models.CharField(_("来源"), max_length=10, choices=Curation.choices, default=Curation.AUTO)
    removed = models.BooleanField(_("已移除"), default=False, help_text=_("编辑确认为误识别；重新抽取时不再添加。"))

    class Meta:
        abstract = True


class ArticleEntity(CuratedLink):
    """An entity named in an article, with the role the text gives a person."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_links", verbose_name=_("文章"))
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("实体"))
    role = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "entity"], name="unique_article_entity")]
        verbose_name = _("文章实体")
        verbose_name_plural = _("文章实体")

    def __str__(self) -> str:
        return f"{self.entity} @ {self.article_id}"


class ArticleIndustry(CuratedLink):
    """An industry an article is about, with its keyword score."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="industry_links", verbose_name=_("文章"))
    industry = models.ForeignKey(
        Industry, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("产业"))
    score = models.PositiveIntegerField(_("命中分"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "industry"], name="unique_article_industry")]
        verbose_name = _("文章产业")
        verbose_name_plural = _("文章产业")

    def __str__(self) -> str:
        return f"{self.industry} @ {self.article_id}"


class StoryBucket(models.Model):
    """Lookup keys of an article's text sketch, for finding copies of the same story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="story_buckets", verbose_name=_("文章"))
    value = models.BigIntegerField(_("键值"), db_index=True)

    class Meta:
        verbose_name = _("同稿索引")
        verbose_name_plural = _("同稿索引")
