"""What the web layer answers when the configured engine cannot answer: a 503 naming the
engine and saying why (it does not support the question, its server cannot be reached, or
its index is damaged or missing), as an HTML page, a JSON error or plain text — never a 500."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from archive.api import json_response
from search.engines.base import EngineError, EngineUnavailable, IndexUnavailable
from search.engines.current import current_engine

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)


def public_message(exc: EngineError) -> str:
    """What visitors are told, in the page's language. A damaged index's details (file names)
    are the operator's: they go to the log and to check_index."""
    if isinstance(exc, IndexUnavailable):
        return _("检索索引暂不可用（损坏或缺失），正在修复，请稍后再试。")
    return str(exc)


def page_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    context = {"engine": exc.engine, "message": public_message(exc), "unavailable": isinstance(exc, EngineUnavailable),
               "index_damaged": isinstance(exc, IndexUnavailable)}
    return render(request, "search/engine_unsupported.html", context, status=503)


def json_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    return json_response({"error": public_message(exc), "engine": exc.engine}, status=503)


def text_answer(exc: EngineError, request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_message(exc), status=503, content_type="text/plain; charset=utf-8")


def engine_error(exc: Exception) -> EngineError | None:
    """The EngineError an exception raised while answering amounts to: itself, or what the
    engine says an unexpected error means (a damaged index); None for a bug."""
    error = exc if isinstance(exc, EngineError) else current_engine().unavailable_because(exc)
    if isinstance(error, IndexUnavailable):  # what the operator needs: the check_index line
        logger.error("search index unavailable: %s", error.problem)
    return error


def answered_with(answer: Callable[[EngineError, HttpRequest], HttpResponse]) -> Callable[[View], View]:
    """Decorate a view: an EngineError (or an error the engine puts down to its damaged index)
    becomes `answer`'s 503."""
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Exception as exc:
                error = engine_error(exc)
                if error is None:
                    raise
                return answer(error, request)
        return wrapped
    return decorate
