"""Is the Whoosh index on disk whole? Its files checked against what was written.

Every segment gets a small sidecar, `<segment id>.sha256` (JSON: each of its files' size and
SHA-256), written when the segment joins the index — by the staging step for bulk batches
(search/engines/whoosh/staging.py), and just before the table of contents is written for
segments Whoosh's own writer makes (saves, merges; search/backend.py). Segment files never
change once written (deletions live in the table of contents), so a file that is missing,
of another size or of another digest is damage. Whoosh deletes a sidecar with its segment
(its name matches the segment's files).

`diagnose()` reports each problem as one `Damage`; the web tier asks the cheap questions
(files present, sizes right) when it opens a new searcher, and the full ones only after a
read failed; `manage.py check_index` asks all of them and reads a sample of postings.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import TOC
from whoosh.reading import SegmentReader

SIDECAR = "sha256"
TERMS_PER_FIELD = 50  # posting lists read per field and segment by the full check (the first ones)


@dataclass(frozen=True)
class Damage:
    """One problem with the index's files, as check_index prints it."""

    kind: str  # index-missing, toc-unreadable, file-missing, file-size, file-checksum, unreadable
    where: str  # a file or segment name
    detail: str = ""

    def line(self) -> str:
        what = {
            "index-missing": "index missing",
            "toc-unreadable": "table of contents unreadable",
            "file-missing": "segment file missing",
            "file-size": "segment file truncated or grown",
            "file-checksum": "segment file corrupted",
            "unreadable": "segment unreadable",
        }[self.kind]
        return f"{what}: {self.where}" + (f" ({self.detail})" if self.detail else "")

    @property
    def whole_index(self) -> bool:
        """Damage only rebuilding the index from the database can repair (no usable table of contents)."""
        return self.kind in ("index-missing", "toc-unreadable")


@dataclass
class Diagnosis:
    damage: list[Damage] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # segments without a sidecar (read-checked only)
    segments: int = 0
    documents: int = 0

    @property
    def damaged_segments(self) -> set[str]:
        return {item.where.split(".")[0] for item in self.damage if not item.whole_index}

    @property
    def whole_index(self) -> bool:
        return any(item.whole_index for item in self.damage)


# -- writing ----------------------------------------------------------------------------
def segment_files(folder: Path, segment_id: str) -> list[Path]:
    """The files of one segment in `folder` (its sidecar left out)."""
    prefix = f"{segment_id}."
    return sorted(path for path in folder.iterdir()
                  if path.name.startswith(prefix) and path.name != f"{prefix}{SIDECAR}")


def sidecar_path(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}.{SIDECAR}"


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record(folder: str | os.PathLike, segment_ids: Iterable[str]) -> None:
    """Write the sidecar of each of these segments (their files complete in `folder`)."""
    folder = Path(folder)
    for segment_id in segment_ids:
        files = {path.name: {"bytes": path.stat().st_size, "sha256": file_digest(path)}
                 for path in segment_files(folder, segment_id)}
        target = sidecar_path(folder, segment_id)
        temporary = folder / f".{target.name}.tmp"  # a dot: Whoosh's cleaning skips it
        temporary.write_text(json.dumps({"segment": segment_id, "files": files}, sort_keys=True), encoding="utf-8")
        os.replace(temporary, target)


def record_new(folder: str | os.PathLike, segments: Iterable, known: set[str]) -> None:
    """Sidecars for the segments a commit adds (not in `known`) that have none yet."""
    folder = Path(folder)
    record(folder, [segment.segment_id() for segment in segments
                    if segment.segment_id() not in known
                    and not sidecar_path(folder, segment.segment_id()).exists()])


def expected_files(folder: Path, segment_id: str) -> dict[str, dict] | None:
    """What the sidecar says the segment's files are; None without a (readable) sidecar."""
    try:
        return json.loads(sidecar_path(folder, segment_id).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


# -- checking ---------------------------------------------------------------------------
def latest_toc(folder: Path, indexname: str) -> Path | None:
    pattern = re.compile(rf"^_{re.escape(indexname)}_([0-9]+)\.toc$")
    if not folder.is_dir():
        return None
    found = [(int(match.group(1)), path) for path in folder.iterdir() if (match := pattern.match(path.name))]
    return max(found)[1] if found else None


def toc_key(folder: Path, indexname: str) -> tuple:
    """What identifies the index's current state: its latest table of contents (name, size, time)."""
    try:
        path = latest_toc(folder, indexname)
        stat = path.stat() if path else None
    except OSError:
        return ()
    return (path.name, stat.st_size, stat.st_mtime_ns) if path else ()


def read_toc(folder: Path, storage, indexname: str, schema) -> tuple[list | None, Damage | None]:
    """The segments the latest table of contents lists, or the damage that stops reading it."""
    toc_path = latest_toc(folder, indexname) if folder.is_dir() else None
    if toc_path is None:
        return None, Damage("index-missing", str(folder), f"no _{indexname}_*.toc file")
    try:
        return TOC.read(storage, indexname, schema=schema).segments, None
    except Exception as exc:  # a damaged file raises whatever its bytes lead Whoosh's reader to
        size = toc_path.stat().st_size if toc_path.exists() else 0
        return None, Damage("toc-unreadable", toc_path.name, f"{size} bytes; {type(exc).__name__}: {exc}")


def file_damage(folder: Path, segment, checksums: bool) -> tuple[list[Damage], bool]:
    """Problems with one segment's files, and whether it has a sidecar to check against."""
    segment_id = segment.segment_id()
    expected = expected_files(folder, segment_id)
    if expected is None:
        compound = folder / f"{segment_id}.seg"
        if segment.is_compound() and not compound.exists():
            return [Damage("file-missing", compound.name, f"{segment.doc_count_all()} documents")], False
        return [], False
    damage = []
    for name, facts in sorted(expected.items()):
        path = folder / name
        if not path.exists():
            damage.append(Damage("file-missing", name, f"{segment.doc_count_all()} documents"))
        elif (size := path.stat().st_size) != facts["bytes"]:
            damage.append(Damage("file-size", name, f"{size} bytes, {facts['bytes']} when written"))
        elif checksums and file_digest(path) != facts["sha256"]:
            damage.append(Damage("file-checksum", name, "its SHA-256 differs from the one written with it"))
    return damage, True


def read_damage(storage, schema, segment, terms_per_field: int = TERMS_PER_FIELD) -> Damage | None:
    """Open the segment and read its stored fields, columns and a sample of posting lists."""
    step = "opening it"
    try:
        reader = SegmentReader(storage, schema, segment)
        try:
            step = "its stored fields"
            for _fields in reader.all_stored_fields():
                pass
            for name in schema.names():
                if reader.has_column(name):
                    step = f"column {name}"
                    for _value in reader.column_reader(name, translate=False):
                        pass
                if not schema[name].indexed:
                    continue
                terms = list(itertools.islice(reader.lexicon(name), terms_per_field))
                for text in terms:
                    step = f"postings of {name}:{text!r}"
                    for _item in reader.postings(name, text).all_items():
                        pass
        finally:
            reader.close()
    except Exception as exc:  # corrupt bytes raise anything (EOFError, struct.error, UnpicklingError …)
        return Damage("unreadable", segment.segment_id(), f"{type(exc).__name__} reading {step}: {exc}")
    return None


def diagnose(folder: str | os.PathLike, storage, indexname: str, schema, checksums: bool = True,
             reads: bool = True) -> Diagnosis:
    """Every problem found with the index's files: table of contents, each segment's files
    (present, sizes, with `checksums` their digests) and, with `reads`, a sample of reads."""
    folder = Path(folder)
    segments, toc_damage = read_toc(folder, storage, indexname, schema)
    if toc_damage:
        return Diagnosis([toc_damage])
    found = Diagnosis(segments=len(segments), documents=sum(segment.doc_count() for segment in segments))
    for segment in segments:
        damage, checked = file_damage(folder, segment, checksums)
        if not checked:
            found.unchecked.append(segment.segment_id())
        if not damage and reads and (problem := read_damage(storage, schema, segment)):
            damage.append(problem)
        found.damage += damage
    return found
