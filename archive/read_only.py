"""A database opened read-only (archive/settings/sqlite.py) still serves every page; a request
that tries to write (an admin save, a login) gets a 503 saying so, not a 500."""
from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def is_read_only_error(exc: Exception) -> bool:
    return isinstance(exc, OperationalError) and "readonly database" in str(exc)


class ReadOnlyDatabaseMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_read_only_error(exception):
            return None
        logger.error("refused a write: the database is read-only (%s)", exception)
        return render(request, "read_only.html", status=503)
