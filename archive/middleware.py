"""Request-wide choices of the reader (UI language, the 简/繁 display script), the limits on
what a request may be, and the security headers Django 5.2 does not send."""
from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from archive import script_switch
from archive.request_limits import parsed_query, query_is_parseable, too_many_parameters


class RequestLimitsMiddleware:
    """A query string Django refuses to parse (more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters)
    gets a 400 with a sentence here, before anything else reads `request.GET` (which would raise
    again, on every route, and again while rendering the error page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not query_is_parseable(request):
            return too_many_parameters()
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer (settings
    ARCHIVE_CONTENT_SECURITY_POLICY, ARCHIVE_PERMISSIONS_POLICY). Django's own debug pages
    (DEBUG only) use inline styles and scripts, so they are left without a policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if settings.ARCHIVE_CONTENT_SECURITY_POLICY and not debug_page:
            response.headers.setdefault("Content-Security-Policy", settings.ARCHIVE_CONTENT_SECURITY_POLICY)
        if settings.ARCHIVE_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.ARCHIVE_PERMISSIONS_POLICY)
        return response


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
        query = parsed_query(request)
        request.display_script = script_switch.chosen(query, request.COOKIES)
        response = self.get_response(request)
        requested = script_switch.parse(query.get(script_switch.PARAM))
        if requested:
            response.set_cookie(
                script_switch.COOKIE, requested, max_age=script_switch.COOKIE_MAX_AGE, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif requested == script_switch.ORIGINAL and script_switch.COOKIE in request.COOKIES:
            response.delete_cookie(script_switch.COOKIE, samesite="Lax")
        patch_vary_headers(response, ("Cookie",))
        return response
