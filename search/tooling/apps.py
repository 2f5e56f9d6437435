from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Benchmark and load-test commands; no models, URLs or signals."""

    name = "search.tooling"
    label = "tooling"
    verbose_name = "Benchmark tooling"
