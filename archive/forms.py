"""Validation of the query parameters that narrow an article listing.

Query strings come straight from users and bots, so every value is checked
here and turned into a readable Chinese message instead of reaching the
database (or a 500). The search page subclasses `ArticleFilterForm` to add
its own fields (`q`, `sort`); the filtering itself lives in
`archive.listing.filter_articles` so it only depends on `cleaned_data`.
"""
from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from archive import filter_values, listing
from archive.models import Article
from archive.text.controls import controls_as_spaces
from archive.text.script import to_simplified_chars

ISO_DATE_FORMATS = ["%Y-%m-%d"]
LISTING_SORT_CHOICES = [("newest", _("最新")), ("oldest", _("最早"))]
DATE_MESSAGES = {"invalid": _("日期格式无效，请使用 YYYY-MM-DD（例如 2024-05-01）。")}


class PlainTextField(forms.CharField):
    """A text parameter with control characters read as spaces, before stripping and every
    check: nothing invisible reaches a title, a feed or the database."""

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = controls_as_spaces(value)
        return super().to_python(value)


def _text_field(label: str, max_length: int) -> forms.CharField:
    return PlainTextField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": format_lazy(_("{label}过长，最多 {limit} 个字符。"),
                                                  label=label, limit=max_length),
                        "null_characters_not_allowed": format_lazy(_("{label}不能包含空字符（NUL）。"), label=label)},
    )


def _int_field(label: str, min_value: int, max_value: int | None = None) -> forms.IntegerField:
    """An optional integer whose messages name the field, in Chinese."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "invalid": format_lazy(_("{label}必须是整数。"), label=label),
            "min_value": format_lazy(_("{label}不能小于 %(limit_value)s。"), label=label),
            "max_value": format_lazy(_("{label}不能大于 %(limit_value)s。"), label=label),
        },
    )


class ArticleFilterForm(forms.Form):
    """Optional filters of an article listing; an unbound or empty form means "everything"."""

    city = _text_field(_("城市"), 50)
    district = _text_field(_("区县"), 50)
    publication = _text_field(_("出版物"), 100)
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[("", _("全部"))] + list(Article.Kind.choices),
        error_messages={"invalid_choice": _("类型“%(value)s”无效，可选值为 text（文字）或 photo（图片）。")},
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, input_formats=ISO_DATE_FORMATS, error_messages=DATE_MESSAGES
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, input_formats=ISO_DATE_FORMATS, error_messages=DATE_MESSAGES
    )
    industry = _text_field(_("产业"), 50)
    company = _text_field(_("企业"), 100)
    person = _text_field(_("人物"), 100)
    place = _text_field(_("地点"), 100)
    year = _int_field(_("年份"), 1900, 2100)
    month = _int_field(_("月份"), 1, 12)
    day = _int_field(_("日"), 1, 31)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=LISTING_SORT_CHOICES,
        error_messages={"invalid_choice": _("排序方式“%(value)s”无效，可选 newest 或 oldest。")},
    )
    # A page number that is no number reads as page 1 (with a note on the page), not an error page.
    page = forms.CharField(label=_("页码"), required=False, max_length=20)

    #: Typed values the archive holds nothing for (filter name → what was typed); set by clean().
    unknown_values: dict[str, str]
    #: Why the page shown is not the page asked for ("" when it is); set by clean_page().
    page_notice: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unknown_values = {}

    def _simplified(self, name: str) -> str:
        # Entity names are stored in Simplified: 惲淇丞 finds 恽淇丞.
        return to_simplified_chars(self.cleaned_data.get(name) or "")

    def clean_company(self) -> str:
        return self._simplified("company")

    def clean_person(self) -> str:
        return self._simplified("person")

    def clean_place(self) -> str:
        return self._simplified("place")

    def clean_page(self) -> int:
        typed = (self.cleaned_data.get("page") or "").strip()
        try:
            number = int(typed) if typed else 1
        except ValueError:
            number = 0
        if number < 1:
            self.page_notice = _("页码“%(page)s”无效，已显示第 1 页。") % {"page": typed}
            return 1
        return number

    def clean_sort(self) -> str:
        # The default (newest first) is left out of generated links.
        sort = self.cleaned_data.get("sort") or ""
        return "" if sort == "newest" else sort

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        resolved, self.unknown_values = filter_values.resolve_filters(
            {name: cleaned.get(name) for name in filter_values.RESOLVED_FILTERS if name not in self.errors})
        cleaned.update(resolved)
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        if cleaned.get("month") and not cleaned.get("year") and "year" not in self.errors:
            self.add_error("month", _("按月份筛选时必须同时指定年份。"))
        self._clean_day(cleaned)
        return cleaned

    def _clean_day(self, cleaned: dict[str, Any]) -> None:
        day = cleaned.get("day")
        if not day or self.errors.keys() & {"year", "month", "day"}:
            return
        if not (cleaned.get("year") and cleaned.get("month")):
            self.add_error("day", _("按日筛选时必须同时指定年份和月份。"))
            return
        try:
            datetime.date(cleaned["year"], cleaned["month"], day)
        except ValueError:
            self.add_error("day", _("%(year)s年%(month)s月没有%(day)s日。")
                           % {"year": cleaned["year"], "month": cleaned["month"], "day": day})

    def filter_queryset(self, queryset: QuerySet[Article]) -> QuerySet[Article]:
        """Apply the validated filters and the order; call only after `is_valid()` returned True.

        A typed value the archive holds nothing for stays a filter here (an API client gets
        no results for it); the HTML pages drop it with a note (`applied_data`)."""
        return listing.sorted_articles(listing.filter_articles(queryset, self.cleaned_data),
                                       self.cleaned_data.get("sort") or "")

    def applied_data(self) -> dict[str, Any]:
        """The cleaned data without the typed values that match nothing (the pages say so)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.unknown_values}

    def active_filters(self) -> list[listing.ActiveFilter]:
        return listing.active_filters(self.applied_data())

    def error_list(self) -> list[tuple[str, str]]:
        """(field label, message) pairs, for showing every problem in one list."""
        pairs = []
        for name, messages in self.errors.items():
            label = str(self.fields[name].label) if name in self.fields else ""
            pairs.extend((label, str(message)) for message in messages)
        return pairs


class ArticleApiFilterForm(ArticleFilterForm):
    """The listing filters plus the page size, which only API clients may choose."""

    page_size = _int_field(_("每页条数"), 1)
    page = _int_field(_("页码"), 1)

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1
    format = forms.ChoiceField(
        label=_("格式"),
        required=False,
        choices=[("json", "JSON"), ("csv", "CSV")],
        error_messages={"invalid_choice": _("格式“%(value)s”无效，可选 json 或 csv。")},
    )

    def clean_page_size(self) -> int:
        # Read the limits at request time so settings overrides (tests, deployments) apply.
        size = self.cleaned_data.get("page_size") or settings.ARCHIVE_PAGE_SIZE
        limit = settings.ARCHIVE_API_MAX_PAGE_SIZE
        if size > limit:
            raise forms.ValidationError(_("每页条数不能超过 %(limit)s。") % {"limit": limit}, code="max_value")
        return size
