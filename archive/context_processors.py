"""What every page's header needs: the 简/繁 switch and the language switch."""
from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from archive import script_switch
from archive.request_limits import parsed_query

SCRIPT_LABELS = [
    (script_switch.ORIGINAL, _("原文"), _("按原文字形显示")),
    (script_switch.SIMPLIFIED, _("简"), _("以简体字显示文章")),
    (script_switch.TRADITIONAL, _("繁"), _("以繁体字显示文章")),
]


class ScriptLink(NamedTuple):
    code: str
    label: str
    title: str
    url: str
    active: bool


def script_links(request: HttpRequest) -> list[ScriptLink]:
    """Links to the current page with ?script= set (orig resets to the published script)."""
    current = getattr(request, "display_script", script_switch.ORIGINAL)
    links = []
    for code, label, title in SCRIPT_LABELS:
        params = parsed_query(request).copy()  # the filters and page number stay as they are
        params[script_switch.PARAM] = code or script_switch.RESET
        links.append(ScriptLink(code, str(label), str(title), f"{request.path}?{params.urlencode()}",
                                code == current))
    return links


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "display_script": getattr(request, "display_script", script_switch.ORIGINAL),
        "script_links": script_links(request),
    }
