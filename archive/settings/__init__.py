"""Settings modules: ``base`` (serving and every product command; the default of manage.py and
wsgi), ``test`` (the suite), ``bench`` (base plus the tooling app's commands) and ``baseline``
(bench with stock haystack parts, for the benchmark's comparison run).

Empty on purpose: importing ``archive.settings.test`` must not evaluate ``base`` before the
test settings have chosen their data folder.
"""
