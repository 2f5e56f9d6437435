from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "检索"

    def ready(self) -> None:
        # The index listens to the archive's bulk loads (archive/signals.py).
        from search.indexing import bulk_load  # noqa: F401

