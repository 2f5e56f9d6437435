"""The synonym list, edited by the archive's editors."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.admin_forms import ItemListField, list_display
from search.models import SynonymGroup
from search.service.synonyms import folded_terms


class SynonymGroupForm(forms.ModelForm):
    terms = ItemListField(
        label=_("同义词"), item_max_length=50, max_items=30,
        help_text=_("两个或更多词，每行一个，或用“、”分隔，如：集成电路、芯片。"))

    class Meta:
        model = SynonymGroup
        fields = ("terms", "note")

    def clean_terms(self) -> list[str]:
        terms = self.cleaned_data["terms"]
        if len(set(folded_terms(terms))) < 2:
            raise forms.ValidationError(_("一组同义词至少要有两个不同的词（繁简视为同一个词）。"))
        return terms


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    form = SynonymGroupForm
    list_display = ("term_list", "note")
    search_fields = ("terms", "note")

    @admin.display(description=_("同义词"))
    def term_list(self, obj: SynonymGroup) -> str:
        return list_display(obj.terms)
