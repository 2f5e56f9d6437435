"""Hostile requests against every route of the site (``manage.py hostile_requests``).

What an attacker or a broken client sends, generated from a fixed seed so every run sends the
same requests: control characters, NUL and odd Unicode in every parameter the forms know (and
in unknown ones), values of 10,000 to 200,000 characters, more parameters than Django parses
(DATA_UPLOAD_MAX_NUMBER_FIELDS), undecodable and overlong percent-escapes, XSS payloads, path
traversal, numbers out of any range, odd methods (HEAD and OPTIONS on every route, PUT, PATCH,
DELETE, TRACE, POST without a CSRF token), junk cookies and headers. They are sent through
Django's test client to the configured archive (its database and index), anonymously.

A request fails when it gets a 5xx, or when an HTML answer carries one of the XSS payloads
unescaped. Nothing is written: every POST lacks its CSRF token, so none reaches a view.
"""
from __future__ import annotations

import itertools
import logging
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver

from archive.models import Article, Entity, Industry, Publication, Section
from search.forms import SearchApiForm

#: The payloads' own marker: an HTML answer holding one of these unescaped is a failure.
XSS = ['<script>hx(1)</script>', '"><img src=x onerror=hx(2)>', "'><svg onload=hx(3)>",
       '<iframe srcdoc="<script>hx(4)</script>">', "</textarea><script>hx(5)</script>",
       '<a href="javascript:hx(6)">x</a>']
XSS_FOUND = re.compile(r"<script>hx\(|<img src=x onerror=hx\(|<svg onload=hx\(|<iframe srcdoc=|"
                       r'<a href="javascript:hx\(')
CONTROLS = [chr(code) for code in (*range(0, 32), 0x7F, 0x85, 0x9B)] + ["\u2028", "\u202e", "\ufeff", "\ufffe",
                                                                          "\uffff", "\u200b"]
ODD_TEXT = ["芯片", "常州", "無錫", "\U0001F004", "\U00020000", "\U0010FFFF", "\ufffd", "é", "ﬁ", "Ａ", "İ", "ß",
            "%", "%%", "+", "&", "=", "#", "'", '"', "\\", ";", "--", "' OR 1=1 --", "*:*", "AND", "(", ")", "{{7*7}}",
            "{% debug %}", "${7*7}", "../../etc/passwd", "\r\nSet-Cookie: x=1"]
NUMBERS = ["0", "-1", "1", "2", "13", "32", "99", "1900", "2100", "2024", "10" * 15, str(2**63), str(2**64 + 1),
           "1e308", "NaN", "inf", "-0", "0x10", "٣", "１", " 7 ", "", "1.5", "9" * 400]
DATES = ["2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "2024-1-1", "20240101", "2024-05-01T00:00",
         "-2024-01-01", "２０２４-０１-０１", "2024-05-01\x00"]
BAD_ESCAPES = ["%", "%%", "%zz", "%F", "%FF", "%FF%FE", "%C0%AF", "%C0%80", "%E4%B8", "%ED%A0%80", "%F4%90%80%80",
               "%F8%88%80%80%80", "%u4E2D", "%25%32%65", "%00", "%0D%0A", "%D6%D0%CE%C4", "%A4%A4%A4%E5", "%E2%80%AE"]
TRAVERSAL = ["/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
             "/static/..\\..\\archive\\settings\\base.py", "/static/css/..%2f..%2f..%2farchive%2fsettings%2fbase.py",
             "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd", "/articles/..%2f..%2fetc%2fpasswd",
             "/browse/publications/1/..%2f..%2f..%2fetc%2fpasswd/", "/browse/publications/1/%00/",
             "/articles/%00/", "/static/%00", "/static/css/site.css%00.html", "/admin/../../etc/passwd",
             "/..;/admin/", "/static/....//....//etc/passwd", "/api/articles/1/..%252f..%252f",
             "/sitemap-..%2f..%2fsettings.xml", "/sitemap-%00.xml", "/browse/publications/1/" + "../" * 40]
METHODS = ["HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "POST", "PROPFIND", "CONNECT"]
PUBLIC_SHARE = 0.85
EXTRA_PARAMETERS = ["script", "format", "p", "next", "language", "o", "e", "_changelist_filters", "callback"]


@dataclass
class HostileRequest:
    kind: str
    method: str
    path: str  # with its query string, already encoded as sent
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # WSGI names (HTTP_…)


@dataclass
class Report:
    requests: int = 0
    seconds: float = 0.0
    by_status: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (request, what went wrong)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.by_status.items() if status >= 500)


def sample_values() -> dict[str, list[str]]:
    """Ids of real rows (so routes reach their views) and ids no row has."""
    values: dict[str, list[str]] = {}
    for name, model in (("article", Article), ("publication", Publication), ("section", Section),
                        ("entity", Entity), ("industry", Industry)):
        values[name] = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]]
    issue = Section.objects.exclude(issue_date=None).values_list("issue_date", flat=True).first()
    values["issue"] = [issue.isoformat() if issue else "2024-05-01", "2024-02-30", "x" * 300, "%00"]
    values["odd_ids"] = ["0", "999999999", str(2**63), "1" + "0" * 30]
    return values


def routes(values: dict[str, list[str]]) -> list[str]:
    """A concrete path for every route, the admin's included, its parameters filled with a real id."""
    fill = {"pk": values["article"][:1] or ["1"], "year": ["2024"], "month": ["10"], "issue": values["issue"][:1],
            "section": ["articles"]}
    paths: list[str] = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
                continue
            route = prefix + str(entry.pattern)
            if "(?P" in route or "^" in route:
                continue

            def value(match: re.Match) -> str:
                return (fill.get(match.group(1)) or values["article"][:1] or ["1"])[0]

            paths.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route))

    walk(get_resolver().url_patterns)
    return sorted(set(paths)) + ["/static/css/site.css", "/static/js/site.js", "/no-such-page/"]


def parameter_names() -> list[str]:
    return list(SearchApiForm.base_fields) + EXTRA_PARAMETERS


def _hostile_text(rng: random.Random) -> str:
    parts = [rng.choice(CONTROLS + ODD_TEXT + XSS) for _ in range(rng.randint(1, 6))]
    return "".join(parts)


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)


def _generators(paths: list[str], values: dict[str, list[str]], rng: random.Random
                ) -> dict[str, Callable[[], HostileRequest]]:
    names = parameter_names()
    public = [path for path in paths if not path.startswith(("/admin/", "/i18n/"))]

    def path_for_get() -> str:
        """Mostly the public pages (anonymous requests to the admin's routes all meet its login)."""
        return rng.choice(public if rng.random() < PUBLIC_SHARE else paths)

    def in_params(kind: str, make_value: Callable[[], str]) -> Callable[[], HostileRequest]:
        def make() -> HostileRequest:
            pairs = [(rng.choice(names), make_value()) for _ in range(rng.randint(1, 4))]
            return HostileRequest(kind, "GET", f"{path_for_get()}?{_query(pairs)}")
        return make

    def many() -> HostileRequest:
        count = rng.choice([settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1, 1500, 5000])
        query = "&".join(f"{rng.choice(names)}={number}" for number in range(count))
        if rng.random() < 0.2:  # the same in a POST body
            return HostileRequest("too many parameters", "POST", rng.choice(paths), body=query)
        return HostileRequest("too many parameters", "GET", f"{path_for_get()}?{query}")

    def bad_escapes() -> HostileRequest:
        raw = "&".join(f"{rng.choice(names)}={rng.choice(BAD_ESCAPES)}{rng.choice(['', '芯片', 'x'])}"
                       for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.3:
            return HostileRequest("bad encoding", "GET", f"{path_for_get().rstrip('/')}/{rng.choice(BAD_ESCAPES)}/")
        return HostileRequest("bad encoding", "GET", f"{path_for_get()}?{raw}")

    def traversal() -> HostileRequest:
        return HostileRequest("path traversal", rng.choice(["GET", "HEAD"]), rng.choice(TRAVERSAL))

    def odd_ids() -> HostileRequest:
        path = rng.choice([p for p in paths if re.search(r"/\d+/", p)] or paths)
        return HostileRequest("odd ids", "GET", re.sub(r"/\d+/", f"/{rng.choice(values['odd_ids'])}/", path, count=1))

    def overlong() -> HostileRequest:
        size = rng.choice([10_000, 50_000, 200_000])
        if rng.random() < 0.3:
            return HostileRequest("overlong", "GET", f"{path_for_get()}{'a' * min(size, 20_000)}/")
        unit = rng.choice(["芯", "a", "%", "<", " OR ", "\x1b"])
        return HostileRequest("overlong", "GET", f"{path_for_get()}?{_query([(rng.choice(names), unit * size)])}")

    def methods() -> HostileRequest:
        body = _query([(rng.choice(names), _hostile_text(rng)) for _ in range(3)])
        return HostileRequest("methods", rng.choice(METHODS), rng.choice(paths), body=body)

    def headers() -> HostileRequest:
        junk = _hostile_text(rng)
        options = {"HTTP_COOKIE": f"archive_script={quote(junk)}; django_language={quote(junk)}; sessionid={junk[:40]}"
                                  f"; csrftoken={'x' * rng.choice([1, 64, 5000])}",
                   "HTTP_ACCEPT_LANGUAGE": junk, "HTTP_X_FORWARDED_FOR": junk, "HTTP_RANGE": "bytes=99999999-1",
                   "HTTP_IF_MODIFIED_SINCE": junk, "HTTP_USER_AGENT": junk * 50, "HTTP_REFERER": junk}
        name = rng.choice(sorted(options))
        return HostileRequest("headers", rng.choice(["GET", "HEAD"]), path_for_get(),
                              headers={name: options[name].encode("utf-8", "replace").decode("latin-1")})

    return {
        "control characters": in_params("control characters", lambda: f"芯片{rng.choice(CONTROLS)}{_hostile_text(rng)}"),
        "xss": in_params("xss", lambda: rng.choice(XSS)),
        "odd values": in_params("odd values", lambda: rng.choice(NUMBERS + DATES + ODD_TEXT)),
        "too many parameters": many,
        "bad encoding": bad_escapes,
        "path traversal": traversal,
        "odd ids": odd_ids,
        "overlong": overlong,
        "methods": methods,
        "headers": headers,
    }


def hostile_requests(budget: int, seed: int = 26) -> Iterator[HostileRequest]:
    """`budget` requests: HEAD and OPTIONS on every route first, then every kind in turn."""
    rng = random.Random(seed)
    values = sample_values()
    paths = routes(values)
    fixed = [HostileRequest("methods", method, path) for path in paths for method in ("HEAD", "OPTIONS")]
    kinds = _generators(paths, values, rng)
    generated = (kinds[kind]() for kind in itertools.cycle(kinds))
    yield from itertools.islice(itertools.chain(fixed, generated), budget)


def send(client: Client, request: HostileRequest):
    extra = dict(request.headers)
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return client.generic(request.method, request.path, **extra)
    return client.generic(request.method, request.path, request.body.encode("utf-8"),
                          content_type="application/x-www-form-urlencoded", **extra)


def check(request: HostileRequest, response) -> str | None:
    """What is wrong with an answer, or None."""
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        return f"{response.status_code}" + (f" ({error[0].__name__}: {error[1]})" if error else "")
    content_type = response.get("Content-Type", "")
    if request.kind == "xss" and "html" in content_type and not getattr(response, "streaming", False):
        if XSS_FOUND.search(response.content.decode("utf-8", "replace")):
            return "an XSS payload is in the page unescaped"
    return None


@contextmanager
def quiet_request_logs() -> Iterator[None]:
    """Django logs every 4xx as a warning: 20,000 of them say nothing. 5xx are reported here."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "django.server")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run(budget: int, seed: int = 26, host: str = "testserver",
        progress: Callable[[int], None] | None = None) -> Report:
    """Send the requests through a test client (CSRF checks on, as a browser would meet them)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_HOST=host)
    report = Report()
    started = time.perf_counter()
    with quiet_request_logs():
        for request in hostile_requests(budget, seed):
            response = send(client, request)
            report.requests += 1
            report.by_status[response.status_code] += 1
            report.by_kind[request.kind] += 1
            if problem := check(request, response):
                report.failures.append((f"{request.method} {request.path[:200]}", problem))
            if progress and report.requests % 1000 == 0:
                progress(report.requests)
    report.seconds = round(time.perf_counter() - started, 1)
    return report
