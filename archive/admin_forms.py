"""Admin form fields for the list-valued (JSON list) fields editors change by hand — bylines,
aliases, synonym terms: typed one item per line or separated by 、,,;; instead of as JSON."""
from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from archive.ingest.cleaning import strip_invisible

# Line ends, the enumeration comma (、 and its half-width form ､), commas and semicolons,
# full- and half-width.
_SEPARATORS_RE = re.compile(r"[\n\r、､,\uff0c;\uff1b]+")  # wide forms as escapes, which no editor folds
ITEM_MAX = 100
ITEMS_MAX = 50
LIST_HELP = _("每行一个，或用“、”“，”“；”分隔。")


def split_items(value: Any) -> list[str]:
    """The items of a typed list, trimmed, without empty ones and repeats, in the order given.

    A JSON list of strings (how these fields used to be edited) is read as its items."""
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        text = str(value or "")
        items = _json_items(text)
        if items is None:
            items = _SEPARATORS_RE.split(text)
    cleaned = (strip_invisible(item).strip(" \t\u3000\xa0") for item in items)
    return list(dict.fromkeys(item for item in cleaned if item))


def _json_items(text: str) -> list[str] | None:
    if not text.lstrip().startswith("["):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return parsed
    return None


class ItemListField(forms.CharField):
    """A list of short texts typed as text (高美梅、张三 or one per line), shown one per line."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {
        "item_too_long": _("每项最多 %(max)d 个字：“%(item)s”有 %(length)d 个字。"),
        "too_many": _("最多 %(max)d 项，现在有 %(count)d 项。"),
    }

    def __init__(self, *, item_max_length: int = ITEM_MAX, max_items: int = ITEMS_MAX,
                 encoder: Any = None, decoder: Any = None, **kwargs: Any) -> None:
        # encoder and decoder come from a model JSONField's formfield(); a list of texts needs neither.
        self.item_max_length = item_max_length
        self.max_items = max_items
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        return split_items(value)

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        too_long = [item for item in value if len(item) > self.item_max_length]
        if too_long:
            item = too_long[0]
            raise forms.ValidationError(
                self.error_messages["item_too_long"], code="item_too_long",
                params={"max": self.item_max_length, "item": item if len(item) <= 20 else item[:20] + "…",
                        "length": len(item)})
        if len(value) > self.max_items:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_items, "count": len(value)})


def is_list_field(db_field: models.Field) -> bool:
    """A JSON field that holds a list (its default is `list`)."""
    return isinstance(db_field, models.JSONField) and db_field.default is list


class ListFieldsAdminMixin:
    """Every JSON list field of the model edited with an ItemListField.

    `list_field_limits` sets (longest item, most items) per field name; others get the defaults."""

    list_field_limits: dict[str, tuple[int, int]] = {}

    def formfield_for_dbfield(self, db_field: models.Field, request: Any, **kwargs: Any) -> forms.Field | None:
        if not is_list_field(db_field):
            return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        item_max_length, max_items = self.list_field_limits.get(db_field.name, (ITEM_MAX, ITEMS_MAX))
        help_text = format_lazy("{}{}", db_field.help_text, LIST_HELP) if db_field.help_text else LIST_HELP
        return ItemListField(
            label=db_field.verbose_name, required=not db_field.blank, help_text=help_text,
            item_max_length=item_max_length, max_items=max_items)


def list_display(items: list[str] | None) -> str:
    """A stored list as a reader sees it in the admin: 高美梅、张三."""
    return "、".join(str(item) for item in items or [])
