"""The tooling's commands; run them with the bench settings:
``DJANGO_SETTINGS_MODULE=archive.settings.bench .venv/bin/python manage.py benchmark …``
(or ``--settings=archive.settings.bench``). See docs/performance.md.
"""
