"""Elasticsearch for tests without a cluster: the archive's haystack connection switched to
the Elasticsearch backend, with a fake client injected (or a real one pointed at a port where
nothing listens), and a fake that answers in the shapes the Elasticsearch 8.19 reference
documents for the APIs the archive uses (search, bulk, count, indices)."""
from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable, Iterator
from types import SimpleNamespace

from elasticsearch.connection import Urllib3HttpConnection
from elasticsearch.serializer import JSONSerializer
from haystack import connections

ES_ENGINE = "search.elasticsearch.ArchiveElasticsearchEngine"
TEST_INDEX = "archive-test"

#: A search answer with no hits and no aggregations (track_total_hits: true shape).
NO_HITS = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
           "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}}


def closed_port() -> int:
    """A loopback port where nothing listens (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeIndices:
    def __init__(self, calls: list) -> None:
        self.calls = calls

    def create(self, index, settings=None, mappings=None, ignore=None, **options):
        self.calls.append(("indices.create", index, {"settings": settings, "mappings": mappings}))
        return {"acknowledged": True, "shards_acknowledged": True, "index": index}

    def put_mapping(self, index, body=None, **options):
        self.calls.append(("indices.put_mapping", index, body))
        return {"acknowledged": True}

    def refresh(self, index, **options):
        self.calls.append(("indices.refresh", index))
        return {"_shards": {"total": 1, "successful": 1, "failed": 0}}

    def delete(self, index, **options):
        self.calls.append(("indices.delete", index))
        return {"acknowledged": True}


class FakeElasticsearch:
    """Records every request. Searches are answered by `answer(body)`; bulk requests are
    applied to `documents` (id → source), so searches may read them back."""

    def __init__(self, answer: Callable[[dict], dict] | None = None) -> None:
        self.calls: list = []
        self.searches: list[dict] = []
        self.documents: dict[str, dict] = {}
        self.answer = answer or (lambda body: NO_HITS)
        self.indices = FakeIndices(self.calls)
        self.transport = SimpleNamespace(serializer=JSONSerializer())

    def search(self, index=None, **arguments):
        """The body as sent: the client's keyword arguments (`from_` is `from` on the wire)."""
        body = {("from" if key == "from_" else key): value for key, value in arguments.items()}
        self.searches.append(body)
        return self.answer(body)

    def count(self, index=None, **options):
        return {"count": len(self.documents), "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}

    def bulk(self, body, index=None, **options):
        """The bulk API: newline-delimited action and source lines in; one item per action out."""
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        self.calls.append(("bulk", index, lines))
        items, position = [], 0
        while position < len(lines):
            (op_type, meta), = lines[position].items()
            if op_type == "delete":
                found = self.documents.pop(meta["_id"], None) is not None
                items.append({"delete": {"_index": index, "_id": meta["_id"], "_version": 2,
                                         "result": "deleted" if found else "not_found",
                                         "status": 200 if found else 404}})
                position += 1
                continue
            created = meta["_id"] not in self.documents
            self.documents[meta["_id"]] = lines[position + 1]
            items.append({op_type: {"_index": index, "_id": meta["_id"], "_version": 1,
                                    "result": "created" if created else "updated",
                                    "status": 201 if created else 200}})
            position += 2
        errors = any(next(iter(item.values()))["status"] >= 300 for item in items)
        return {"took": 3, "errors": errors, "items": items}


@contextlib.contextmanager
def elasticsearch_connection(settings, url: str, index: str = TEST_INDEX, client=None, **client_options) -> Iterator:
    """The archive on the Elasticsearch engine for a while: haystack's default connection and
    ARCHIVE_SEARCH_ENGINE switched, `client` (if given) in place of the real one, else a real
    client made with `client_options`; yields the backend."""
    info = connections.connections_info
    saved = info["default"]
    info["default"] = {"ENGINE": ES_ENGINE, "URL": url, "INDEX_NAME": index, "TIMEOUT": 5, "KWARGS": client_options}
    connections.reload("default")
    settings.ARCHIVE_SEARCH_ENGINE = "elasticsearch"
    backend = connections["default"].get_backend()
    if client is not None:
        backend.conn = client
    try:
        yield backend
    finally:
        info["default"] = saved
        connections.reload("default")


class RecordingConnection(Urllib3HttpConnection):
    """The real client's transport with the network replaced: every request recorded as sent
    (method, path, parameters, body, headers), answered as an Elasticsearch 8.19 server would,
    or as another product (`product`) answers the client's product check (GET /)."""

    sent: list = []
    product = "Elasticsearch"

    def perform_request(self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None):
        self.sent.append((method, url, params, body, headers))
        if url == "/":
            if self.product == "Elasticsearch":
                info = {"version": {"number": "8.19.0", "build_flavor": "default"}, "tagline": "You Know, for Search"}
                return 200, {"X-Elastic-Product": "Elasticsearch"}, json.dumps(info)
            info = {"version": {"distribution": "opensearch", "number": "2.19.0"}, "tagline": "The OpenSearch Project"}
            return 200, {}, json.dumps(info)
        if url.endswith("/_bulk"):
            lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
            items = [{op: {"_id": meta["_id"], "status": 200}} for line in lines for op, meta in line.items()
                     if op in ("index", "delete")]
            return 200, {}, json.dumps({"took": 1, "errors": False, "items": items})
        if url.endswith("/_search"):
            return 200, {}, json.dumps(NO_HITS)
        return 200, {}, json.dumps({"acknowledged": True})


def cluster_url() -> str | None:
    """The cluster the shared behaviour suite may use: ARCHIVE_ELASTICSEARCH_URL."""
    return os.environ.get("ARCHIVE_ELASTICSEARCH_URL") or None
