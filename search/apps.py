from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "检索"

    def ready(self) -> None:
        # The index listens to the archive's bulk loads (archive/signals.py).
        from search.indexing import bulk_load  # noqa: F401

        # After the index's receiver: the pinyin lexicon is read from the finished index.
        from search.service import pinyin_lexicon  # noqa: F401
