"""python manage.py extract_entities — re-run entity, industry and story extraction."""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from archive.extract.store import Extractor
from archive.models import Article
from archive.signals import articles_changed, bulk_load_finished, bulk_load_progressed, bulk_load_started

BATCH = 500


class Command(BaseCommand):
    help = ("Re-extract companies, people, places, industry tags and duplicate stories for every article "
            "(after a taxonomy or dictionary change). Editors' corrections are kept.")

    def add_arguments(self, parser):
        parser.add_argument("--ids", nargs="*", type=int, help="only these article ids")

    def handle(self, *args, **options):
        articles = Article.objects.order_by("pk")
        if options["ids"]:
            articles = articles.filter(pk__in=options["ids"])
        extractor = Extractor()
        ids = list(articles.values_list("pk", flat=True))
        show_bar = sys.stderr.isatty() and options["verbosity"] > 0
        bulk_load_started.send(sender=self.__class__)
        completed = False
        try:
            for start in tqdm(range(0, len(ids), BATCH), disable=not show_bar, file=sys.stderr, unit="batch"):
                chunk = ids[start:start + BATCH]
                with transaction.atomic():
                    for article in Article.objects.filter(pk__in=chunk).order_by("pk"):
                        extractor.apply(article)
                    articles_changed.send(sender=Article, ids=chunk)
                bulk_load_progressed.send(sender=self.__class__, settle=True)
            completed = True
        finally:
            bulk_load_finished.send(sender=self.__class__, completed=completed)
        self.stdout.write(f"Re-extracted {len(ids)} article(s).")
