"""Validation of search parameters: the listing filters plus q and sort."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive.forms import ArticleApiFilterForm, ArticleFilterForm, PlainTextField

SORT_CHOICES = [("relevance", _("相关度")), ("newest", _("最新")), ("oldest", _("最早"))]
MAX_QUERY_WORDS = 50


class SearchFieldsMixin(forms.Form):
    q = PlainTextField(label=_("关键词"), required=False, strip=True,
                        error_messages={"null_characters_not_allowed": _("关键词不能包含空字符（NUL）。")})
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("排序方式“%(value)s”无效，可选 relevance、newest 或 oldest。")},
    )

    collapse = forms.ChoiceField(
        label=_("转载"),
        required=False,
        choices=[("1", _("合并转载")), ("0", _("逐篇列出"))],
        error_messages={"invalid_choice": _("collapse 只能是 0（逐篇列出）或 1（合并转载，默认）。")},
    )

    def clean_collapse(self) -> str:
        # The default (one row per story) is left out of generated links: "" means collapsed.
        return "0" if self.cleaned_data.get("collapse") == "0" else ""

    def clean_q(self) -> str:
        query = (self.cleaned_data.get("q") or "").replace("\x00", " ").strip()
        limit = settings.SEARCH_MAX_QUERY_CHARS
        if len(query) > limit:
            raise forms.ValidationError(
                _("关键词过长（%(length)s 个字符），最多 %(limit)s 个字符。") % {"length": len(query), "limit": limit},
                code="max_length",
            )
        if len(query.split()) > MAX_QUERY_WORDS:
            raise forms.ValidationError(
                _("关键词过多，最多 %(limit)s 个。") % {"limit": MAX_QUERY_WORDS}, code="too_many_words"
            )
        return query

    def clean_sort(self) -> str:
        # The default is left out of generated links: "" means relevance.
        sort = self.cleaned_data.get("sort") or ""
        return "" if sort == "relevance" else sort


class SearchForm(SearchFieldsMixin, ArticleFilterForm):
    """The HTML search page's parameters."""


class SearchApiForm(SearchFieldsMixin, ArticleApiFilterForm):
    """The JSON API's parameters (adds page_size)."""
