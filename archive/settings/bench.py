"""Settings for the measurement tooling: the archive as served, plus the tooling app.

``DJANGO_SETTINGS_MODULE=archive.settings.bench manage.py benchmark|bench_queries|bench_edits|
loadtest|make_corpus``. Everything else is ``base``, so what is measured is the product.
"""
from archive.settings.base import *  # noqa: F401,F403
from archive.settings.base import INSTALLED_APPS

TOOLING_APP = "search.tooling.apps.ToolingConfig"
INSTALLED_APPS = [*INSTALLED_APPS, TOOLING_APP]
