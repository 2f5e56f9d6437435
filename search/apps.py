from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("检索")

    def ready(self) -> None:
        # The index listens to the archive's bulk loads (archive/signals.py).
        from search.indexing import bulk_load  # noqa: F401

