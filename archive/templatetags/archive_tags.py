"""Template helpers: the 简/繁 display conversion."""
from __future__ import annotations

from django import template
from django.utils.safestring import SafeData, mark_safe

from archive import scripts

register = template.Library()


@register.filter
def in_script(value, script: str):
    """`{{ article.headline|in_script:display_script }}` — the text in the reader's chosen script.

    Escaping is unaffected: OpenCC's tables map Chinese characters to Chinese
    characters only, so escaped (safe) text stays safe and plain text is still
    escaped by the template engine."""
    if value is None:
        return ""
    converted = scripts.convert(str(value), script)
    return mark_safe(converted) if isinstance(value, SafeData) else converted

