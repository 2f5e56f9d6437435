"""What the web tier reads of a request before any view: its query string, only when Django can
parse it, and the client's address (for the per-client limits)."""
from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render


def query_is_parseable(request: HttpRequest) -> bool:
    """False when Django refuses the query string (more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters)."""
    try:
        request.GET  # noqa: B018 - parsing is the check
    except TooManyFieldsSent:
        return False
    return True


def parsed_query(request: HttpRequest) -> QueryDict:
    """`request.GET`, or an empty QueryDict when it cannot be parsed: an error page rendered for
    such a request must not raise the same error again while it renders."""
    return request.GET if query_is_parseable(request) else QueryDict()


def too_many_parameters() -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    message = (f"请求的参数过多(超过 {limit} 个),无法处理;请检查链接后重试。\n"
               f"Too many parameters in the request (more than {limit}); check the link and try again.\n")
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def client_address(request: HttpRequest) -> str | None:
    """Who is asking, for the per-client limits (CSV export rate, admin login lockout): the peer's
    address, or behind the TLS proxy (DJANGO_BEHIND_TLS_PROXY=1) the address the proxy appended
    last to X-Forwarded-For (earlier entries come from the client and can be forged). None when
    there is no valid address (a login made in code has no peer): django-axes stores addresses in
    an address column, which PostgreSQL checks."""
    candidate = request.META.get("REMOTE_ADDR") or ""
    if settings.ARCHIVE_TRUST_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            candidate = forwarded[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def login_lockout(request: HttpRequest, original_response: HttpResponse | None = None,
                  credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a locked-out admin login (AXES_LOCKOUT_CALLABLE): a 429 page that
    says why and for how long, with Retry-After."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
