"""Validation of the comparison page's parameters: `q` given two to four times (empty ones
ignored, each checked as the search page checks its query), an optional `city` the archive
holds, an optional date range. What was typed is kept for the form, right or wrong."""
from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from archive.forms import DATE_MESSAGES, ISO_DATE_FORMATS, PlainTextField
from archive.models import Article
from search.forms import SearchForm
from search.service.compare import MAX_QUERIES, MIN_QUERIES


def archive_cities() -> list[str]:
    """The cities articles are filed under, in name order (the city filter's choices)."""
    return sorted(Article.objects.exclude(city="").order_by().values_list("city", flat=True).distinct())


class CompareForm(forms.Form):
    city = PlainTextField(label=gettext_lazy("城市"), required=False, max_length=50,
                          error_messages={"max_length": pgettext_lazy("compare", "城市过长，最多 50 个字符。")})
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False, input_formats=ISO_DATE_FORMATS,
                                error_messages=DATE_MESSAGES)
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False, input_formats=ISO_DATE_FORMATS,
                              error_messages=DATE_MESSAGES)

    def __init__(self, data: QueryDict, cities: list[str]) -> None:
        super().__init__(data)
        self.cities = cities
        self.typed = [str(value) for value in data.getlist("q")]
        self.queries: list[str] = []
        self.query_errors: list[str] = []

    @property
    def asked(self) -> bool:
        """Whether anything was asked (a first visit shows the empty form and no message)."""
        return bool(self.data)

    @property
    def rows(self) -> list[str]:
        """The query inputs to show: what was typed, then empty ones up to MAX_QUERIES."""
        typed = [text for text in self.typed if text.strip()]
        return typed + [""] * max(0, MAX_QUERIES - len(typed))

    @property
    def typed_city(self) -> str:
        return str(self.data.get("city") or "")

    @property
    def city_choices(self) -> list[str]:
        """The archive's cities, and a city typed into the URL that it lacks (kept, marked wrong)."""
        typed = self.typed_city.strip()
        return self.cities + ([typed] if typed and typed not in self.cities else [])

    def typed_value(self, name: str) -> str:
        return str(self.data.get(name) or "")

    @property
    def typed_date_from(self) -> str:
        return self.typed_value("date_from")

    @property
    def typed_date_to(self) -> str:
        return self.typed_value("date_to")

    @property
    def enough(self) -> bool:
        return len(self.queries) >= MIN_QUERIES

    def clean_city(self) -> str:
        city = (self.cleaned_data.get("city") or "").strip()
        if city and city not in self.cities:
            raise forms.ValidationError(
                _("档案中没有城市“%(city)s”。可选：%(cities)s。")
                % {"city": city, "cities": "、".join(self.cities) or pgettext("compare", "（暂无）")}, code="unknown_city")
        return city

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        self._clean_queries()
        return cleaned

    def _clean_queries(self) -> None:
        typed = [text for text in self.typed if text.strip()]
        if len(typed) > MAX_QUERIES:
            self.query_errors.append(ngettext("最多比较 %(limit)s 项，收到了 %(count)s 项；请删去多余的。",
                                              "最多比较 %(limit)s 项，收到了 %(count)s 项；请删去多余的。",
                                              len(typed)) % {"limit": MAX_QUERIES, "count": len(typed)})
        for number, text in enumerate(typed, start=1):
            search = SearchForm({"q": text})
            if not search.is_valid():
                self.query_errors += [pgettext("compare", "第 %(number)s 项：%(message)s") % {"number": number, "message": message}
                                      for message in search.errors.get("q", [])]
                continue
            query = search.cleaned_data["q"]
            if query in self.queries:
                self.query_errors.append(_("第 %(number)s 项“%(query)s”与前面的一项相同。")
                                         % {"number": number, "query": query})
            elif query:
                self.queries.append(query)
        if self.query_errors:
            self.add_error(None, self.query_errors)

    def too_few(self) -> str:
        """The message for fewer than MIN_QUERIES queries."""
        count = len(self.queries)
        return ngettext("请至少填写 %(minimum)s 项再比较（现在有 %(count)s 项）。",
                        "请至少填写 %(minimum)s 项再比较（现在有 %(count)s 项）。", count) % {
            "minimum": MIN_QUERIES, "count": count}

    def filters(self) -> dict[str, Any]:
        """The filters every query is run with (call after is_valid())."""
        return {name: self.cleaned_data.get(name) for name in ("city", "date_from", "date_to")
                if self.cleaned_data.get(name)}

    def messages(self) -> list[str]:
        """Every problem, one sentence each, for the box above the form."""
        found = list(self.query_errors)
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                found += [pgettext("compare", "%(label)s：%(message)s") % {"label": self.fields[name].label, "message": message}
                          for message in errors]
        return found
