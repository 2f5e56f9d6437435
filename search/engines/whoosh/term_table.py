"""A field's records in a new segment's terms file, laid out as Whoosh 2.7.4's hash writer lays
them out (key and value lengths, key, value; the key's position in the index and in its hash
bucket), gathered in one buffer and written at once. Used by both direct term writers
(segment_writer.py, presence_terms.py); tests/test_segment_writer.py reads the result back
against Whoosh's own writer."""
from __future__ import annotations

import struct
from hashlib import md5

from whoosh.system import pack_ushort

from search.engines.whoosh.fileformat import TermWriterParts

TERMINFO = struct.Struct("!BfIBBfII")  # W3TermInfo's fixed part
POSTINGS_EXTENT = struct.Struct("!qi")  # W3TermInfo's offset and length in the postings file
_KEY_VALUE_LENGTHS = struct.Struct("!ii")  # HashWriter's record header


def _md5_hash(key: bytes) -> int:
    """HashWriter's default (md5) key hash: the low 32 bits of the digest, read directly."""
    return int.from_bytes(md5(key).digest()[-4:], "big")


class TermTable:
    def __init__(self, parts: TermWriterParts) -> None:
        self._index = parts.term_index
        self._file = self._index.dbfile
        self._base = self._file.tell()
        self._buffer = bytearray()
        self._field_id = pack_ushort(parts.field_id)
        self._hash = _md5_hash if self._index.hashtype == 0 else self._index.hashfn
        self._last_key = self._index.lastkey

    def add(self, text: bytes, record: bytes) -> None:
        """One term's record (its term info and postings extent), terms in ascending order."""
        key = self._field_id + text
        position = self._base + len(self._buffer)
        self._index.index.append(position)
        self._buffer += _KEY_VALUE_LENGTHS.pack(len(key), len(record))
        self._buffer += key
        self._buffer += record
        hashed = self._hash(key)
        self._index.buckets[hashed & 255].append((hashed, position))
        self._last_key = key

    def write(self) -> None:
        self._file.write(bytes(self._buffer))
        self._index.lastkey = self._last_key
