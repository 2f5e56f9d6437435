from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "检索"

    def ready(self) -> None:
        # The index listens to the archive's bulk loads (archive/signals.py).
        from search import bulk_indexing  # noqa: F401
