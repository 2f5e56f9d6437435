"""Measurement tooling: benchmark, stock-haystack baseline, load test, edit latency, corpus generator.

A Django app of its own (label ``tooling``), installed only by ``archive.settings.bench``,
``archive.settings.baseline`` and ``archive.settings.test``: production settings do not list
its commands, and no product module imports it.
"""
