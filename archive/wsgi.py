"""WSGI entry point (gunicorn archive.wsgi). A worker prepares its lexicons and the search
engine's columns here, as it starts, so that no reader waits for them (search/warm.py;
ARCHIVE_WARM_UP=0 skips it)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")
application = get_wsgi_application()

from search.warm import prepare_web_process  # noqa: E402 - needs the apps loaded above

if os.environ.get("ARCHIVE_WARM_UP", "1") != "0":
    prepare_web_process()
