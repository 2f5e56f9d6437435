"""Request-wide choices of the reader: UI language and the 简/繁 display script."""
from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from archive import script_switch


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The UI is Simplified Chinese unless the reader chose English with the switch.

    Django's stock middleware also follows the browser's Accept-Language, which
    would show most visitors with an English browser an English archive of
    Chinese news; here only the language cookie set by Django's set_language
    view (the switch in the page header) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class DisplayScriptMiddleware:
    """Sets `request.display_script` and remembers a ?script= choice in a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.display_script = script_switch.chosen(request.GET, request.COOKIES)
        response = self.get_response(request)
        requested = script_switch.parse(request.GET.get(script_switch.PARAM))
        if requested:
            response.set_cookie(
                script_switch.COOKIE, requested, max_age=script_switch.COOKIE_MAX_AGE, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif requested == script_switch.ORIGINAL and script_switch.COOKIE in request.COOKIES:
            response.delete_cookie(script_switch.COOKIE, samesite="Lax")
        patch_vary_headers(response, ("Cookie",))
        return response
