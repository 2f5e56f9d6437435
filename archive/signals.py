"""Signals of the archive's own, for what Django's model signals do not cover."""
from django.dispatch import Signal

#: Sent after articles were created by one bulk insert (which sends no post_save), with
#: ``articles``: the saved instances, ids set. The search outbox queues them (search/signals.py).
articles_created = Signal()
