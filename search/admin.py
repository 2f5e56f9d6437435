"""The synonym list, edited by the archive's editors."""
from __future__ import annotations

from django import forms
from django.contrib import admin

from archive.admin_forms import NameListField
from search.models import SynonymGroup
from search.service.synonyms import folded_terms


class SynonymGroupForm(forms.ModelForm):
    terms = NameListField(label="同义词", help_text="两个或更多词,每行一个,或用“、”分隔,如:集成电路、芯片。")

    class Meta:
        model = SynonymGroup
        fields = ("terms", "note")

    def clean_terms(self) -> list[str]:
        terms = self.cleaned_data["terms"]
        if len(set(folded_terms(terms))) < 2:
            raise forms.ValidationError("一组同义词至少要有两个不同的词(繁简视为同一个词)。")
        return terms


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    form = SynonymGroupForm
    list_display = ("__str__", "note")
    search_fields = ("terms", "note")
