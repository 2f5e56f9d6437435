"""What the web layer answers when the configured engine cannot answer: a 503 naming the
engine and saying why (it does not support the question, or its server cannot be reached),
as an HTML page, a JSON error or plain text — never a 500."""
from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.api import json_response
from search.engines.base import EngineError, EngineUnavailable

View = Callable[..., HttpResponse]


def page_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    context = {"engine": exc.engine, "message": str(exc), "unavailable": isinstance(exc, EngineUnavailable)}
    return render(request, "search/engine_unsupported.html", context, status=503)


def json_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    return json_response({"error": str(exc), "engine": exc.engine}, status=503)


def text_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")


def answered_with(answer: Callable[[EngineError, HttpRequest], HttpResponse]) -> Callable[[View], View]:
    """Decorate a view: an EngineError becomes `answer`'s 503."""
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except EngineError as exc:
                return answer(exc, request)
        return wrapped
    return decorate
