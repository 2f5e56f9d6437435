"""Admin form fields for the list-valued fields editors change by hand (a publication's aliases):
one item per line or separated by 、 or commas, instead of JSON."""
from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import Publication

_SEPARATORS_RE = re.compile(r"[\n\r、,,;;]+")
ITEM_MAX = 100


class NameListField(forms.CharField):
    """A list of names typed as text: 苏报、名城苏州网 or one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, (list, tuple)):
            items = [str(item).strip() for item in value]
        else:
            items = [item.strip() for item in _SEPARATORS_RE.split(str(value or ""))]
        return list(dict.fromkeys(item for item in items if item))

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        too_long = [item for item in value if len(item) > ITEM_MAX]
        if too_long:
            raise forms.ValidationError(
                _("每项最多 %(max)d 个字:%(item)s"), params={"max": ITEM_MAX, "item": too_long[0][:20]},
                code="too_long")


class PublicationForm(forms.ModelForm):
    aliases = NameListField(label=_("别名"), required=False, help_text=_("每行一个,或用“、”分隔,如:苏报、名城苏州网。"))

    class Meta:
        model = Publication
        fields = ("name", "medium", "city", "district", "listed", "aliases")
