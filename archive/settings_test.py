"""Settings for the test suite: an isolated, throw-away data folder."""
import os
import tempfile

os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))
os.environ.setdefault("DJANGO_DEBUG", "1")

from archive.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
