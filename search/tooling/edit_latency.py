"""How soon an editor's save is searchable while a bulk ingest runs (``manage.py bench_edits``).

In this process's data folder: the first pages of a corpus are ingested here, so there
are articles to edit; the rest is ingested by ``manage.py ingest`` in another process
(a real bulk ingest: parsing, and index batches built by its children). Meanwhile, every
`interval` seconds, one article's headline is changed through ``Article.save()`` in a
transaction — the path the admin's change form takes (outbox row, flush after commit) —
and the JSON API is polled until ``headline:<new word>`` finds it. The time from the
start of the save to the first answer that finds it is the edit's latency.
"""
from __future__ import annotations

import os
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import Client

from archive.management.commands.ingest import collect_files
from archive.models import Article
from search.tooling.benchmark import MANAGE, ROOT
from search.tooling.figures import latency_summary

POLL_EVERY = 0.05
GIVE_UP_AFTER = 60.0


def marker(number: int) -> str:
    """A headline word no page contains, one token for the analyser (letters only)."""
    letters = []
    number += 26 ** 3
    while number:
        number, digit = divmod(number, 26)
        letters.append(string.ascii_lowercase[digit])
    return "qzedit" + "".join(reversed(letters))


def measure_edits(corpus: Path, head_files: int = 40, interval: float = 2.0, max_edits: int = 200,
                  log: Callable[[str], None] = print) -> dict:
    """Ingest the corpus's first `head_files` pages here, the rest in a child process, and time
    edits made while that child runs."""


    files, _missing = collect_files([corpus])
    if len(files) <= head_files:
        raise ValueError(f"the corpus needs more than {head_files} pages")
    call_command("migrate", verbosity=0)
    call_command("ingest", *map(str, files[:head_files]), verbosity=0)  # its catalog.csv is read too
    editable = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    bulk = subprocess.Popen(
        [sys.executable, str(MANAGE), "ingest", *map(str, files[head_files:]), "--no-progress", "--verbosity", "0"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log(f"bulk ingest of {len(files) - head_files} pages started (pid {bulk.pid}); editing every {interval} s")
    client = Client()
    samples: list[float] = []
    lost = 0
    number = 0
    started = time.perf_counter()
    try:
        _until_found(client, marker(0), -1, time.perf_counter(), give_up_after=0.0)  # the API answers at all
        while bulk.poll() is None and number < max_edits:
            article = Article.objects.get(pk=editable[number % len(editable)])
            word = marker(number)
            number += 1
            begun = time.perf_counter()
            with transaction.atomic():
                article.headline = f"{word} {article.headline}"[:300]
                article.save()
            latency = _until_found(client, word, article.pk, begun)
            if latency is None:
                lost += 1
            else:
                samples.append(latency)
            time.sleep(max(0.0, interval - (time.perf_counter() - begun)))
    except BaseException:
        bulk.kill()
        raise
    finally:
        _stderr = bulk.communicate()[1]
    seconds = time.perf_counter() - started
    if bulk.returncode:
        raise RuntimeError(f"the bulk ingest failed ({bulk.returncode}): {_stderr.decode(errors='replace')[-2000:]}")
    summary = latency_summary(samples)
    return {
        "edits": number,
        "found": len(samples),
        "not_found_within_s": {"count": lost, "limit_s": GIVE_UP_AFTER},
        "latency_ms": {key: value for key, value in summary.items() if key != "queries"},
        "bulk_ingest": {"pages": len(files) - head_files, "seconds": round(seconds, 1)},
    }


def _until_found(client: Client, word: str, pk: int, begun: float, give_up_after: float = GIVE_UP_AFTER) -> float | None:
    """Seconds from `begun` until the JSON API finds article `pk` by `word`; None after
    `give_up_after`. Asked over HTTPS (production settings redirect plain HTTP); any answer
    but 200 is an error, not an edit "not found"."""
    while True:
        response = client.get("/api/articles/", {"q": f"headline:{word}", "page_size": 5}, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"/api/articles/ answered HTTP {response.status_code}: with DJANGO_DEBUG=0, "
                               "DJANGO_ALLOWED_HOSTS must include testserver")
        if any(row["id"] == pk for row in response.json()["results"]):
            return time.perf_counter() - begun
        if time.perf_counter() - begun >= give_up_after:
            return None
        time.sleep(POLL_EVERY)
