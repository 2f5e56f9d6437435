"""Admin for editors.

Articles are the only content editors change. Sections are the verbatim
source pages ingest produced, so their source fields are read-only, and
ingest runs are an audit trail nobody may alter.
"""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.admin_forms import ListFieldsAdminMixin, list_display
from archive.models import (
    Article,
    ArticleEntity,
    ArticleIndustry,
    Curation,
    Entity,
    Industry,
    IngestFileResult,
    IngestRun,
    Publication,
    Section,
)

# The admin's own titles (Django's defaults say "Django 管理").
admin.site.site_header = _("产业新闻档案管理")
admin.site.site_title = _("产业新闻档案管理")
admin.site.index_title = _("档案管理首页")


class ReadOnlyInlineMixin:
    """An inline that only displays rows: no adding, changing or deleting."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def save_curation_formset(formset) -> None:
    """Editors' corrections of automatic tags, kept across re-extraction.

    A row an editor adds is marked as the editor's; deleting an automatic row
    marks it removed instead, so extraction does not add it back."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        if obj.source == Curation.AUTO:
            type(obj).objects.filter(pk=obj.pk).update(removed=True)
        else:
            obj.delete()
    for obj in instances:
        if obj.pk is None:
            obj.source = Curation.EDITOR
        obj.save()


class CurationInlineMixin:
    extra = 0
    readonly_fields = ("source",)


class ArticleIndustryInline(CurationInlineMixin, admin.TabularInline):
    model = ArticleIndustry
    fields = ("industry", "score", "source", "removed")
    readonly_fields = ("score", "source")


class ArticleEntityInline(CurationInlineMixin, admin.TabularInline):
    model = ArticleEntity
    fields = ("entity", "role", "source", "removed")
    raw_id_fields = ("entity",)


@admin.register(Article)
class ArticleAdmin(ListFieldsAdminMixin, admin.ModelAdmin):
    list_display = ("headline", "headline_derived", "publication_name", "city", "date", "kind", "edited")
    list_filter = ("city", "section__publication", "kind", "edited", "headline_derived")
    search_fields = ("headline", "kicker", "subheadline", "body")
    date_hierarchy = "date"
    list_select_related = ("section__publication",)
    raw_id_fields = ("section",)
    readonly_fields = ("edited", "created_at", "updated_at")
    actions = ("release_to_ingest",)
    inlines = (ArticleIndustryInline, ArticleEntityInline)
    list_field_limits = {"bylines": (50, 30)}  # (longest name, most names)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset, change: bool) -> None:
        if formset.model in (ArticleIndustry, ArticleEntity):
            save_curation_formset(formset)
            return
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("出版物"), ordering="section__publication__name")
    def publication_name(self, obj: Article) -> str:
        return obj.section.publication.name

    def save_model(self, request: HttpRequest, obj: Article, form: ModelForm, change: bool) -> None:
        # An editor's save protects the article from being overwritten by re-ingest.
        if change:
            obj.edited = True
        super().save_model(request, obj, form, change)

    @admin.action(description=_("取消“已人工编辑”标记（允许重新导入覆盖）"))
    def release_to_ingest(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = queryset.update(edited=False)
        message = ngettext("已取消 %(count)d 篇文章的编辑标记。", "已取消 %(count)d 篇文章的编辑标记。", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class SectionArticleInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Article
    fields = ("position", "kicker", "headline", "kind", "date", "edited")
    readonly_fields = fields
    ordering = ("position",)
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("source_name", "publication", "host", "issue_date", "page_label", "language", "metadata_inferred")
    list_filter = ("publication", "language", "metadata_inferred")
    search_fields = ("source_name", "page_label")
    list_select_related = ("publication",)
    readonly_fields = ("source_name", "source_root", "content_hash", "encoding", "raw_text", "created_at", "updated_at")
    inlines = (SectionArticleInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(ListFieldsAdminMixin, admin.ModelAdmin):
    """The outlet list: listed outlets and their aliases are how pages' source cues are read."""

    fields = ("name", "medium", "city", "district", "listed", "aliases")
    list_display = ("name", "medium", "city", "district", "listed")
    list_filter = ("listed", "medium", "city")
    search_fields = ("name", "aliases")


class IngestFileResultInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = IngestFileResult
    fields = ("source_name", "status", "message", "created", "updated", "unchanged", "kept", "removed")
    readonly_fields = fields


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "started_at", "finished_at", "files_seen", "files_failed", "files_skipped",
        "created", "updated", "unchanged", "kept", "removed",
    )
    fields = (
        "started_at", "finished_at", "path_list", "files_seen", "files_failed", "files_skipped",
        "created", "updated", "unchanged", "kept", "removed",
    )
    readonly_fields = ("path_list",)
    inlines = (IngestFileResultInline,)

    @admin.display(description=_("路径"))
    def path_list(self, obj: IngestRun) -> str:
        return list_display(obj.paths)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    """The industry taxonomy: names and the keywords that tag articles."""

    list_display = ("name", "order", "keyword_preview")
    list_editable = ("order",)
    search_fields = ("name", "keywords")

    @admin.display(description=_("关键词"))
    def keyword_preview(self, obj: Industry) -> str:
        return "、".join(obj.keyword_list[:8])


@admin.register(Entity)
class EntityAdmin(ListFieldsAdminMixin, admin.ModelAdmin):
    """Companies, people and places: correct names, add aliases (short names, merges)."""

    list_display = ("name", "kind", "alias_preview")
    list_filter = ("kind",)
    search_fields = ("name",)

    @admin.display(description=_("别名"))
    def alias_preview(self, obj: Entity) -> str:
        return list_display(obj.aliases)
