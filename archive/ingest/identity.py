"""Which stored page a file is: by its folder and path under it, by the same file reached from
another folder, by the bare name pages once had, or by its content.

In that order:

1. the page stored under the same root and name;
2. the page stored for this very file from another root (`ingest pages/` and later
   `ingest pages/wujin/`): it keeps its name;
3. a page stored by its bare file name only (before folders were recorded) under this name
   — or, for a file in a subfolder, under its file name when the content is the same: the
   page takes this root and name;
4. a page with the same content: if that page's own file is still there with that content,
   this file is a duplicate and is not stored again; otherwise the file was moved or renamed,
   and the page takes the new root and name, keeping its articles, their ids and the editors'
   changes.

Otherwise the file is a new page.
"""
from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db.models import Q

from archive.ingest.sources import MAX_NAME_LENGTH, SourceFile
from archive.models import Section


@dataclass
class Match:
    section: Section | None = None  # None: a new page (or a duplicate)
    identity: dict[str, str] = field(default_factory=dict)  # the root and name the page takes, if they change
    note: str = ""  # how it was found, when not by its own name
    duplicate_of: str = ""  # the stored page with the same content, when this file is a duplicate


def match_section(source: SourceFile, content_hash: str) -> Match:
    """The stored page this file is (locked until the file's transaction ends), or why none."""
    root = str(source.root)
    sections = Section.objects.select_for_update().order_by("pk")  # no join: only the section row is locked
    exact = sections.filter(source_root=root, source_name=source.name).first()
    if exact is not None:
        return Match(exact)
    same_file = sections.filter(_other_roots_of(source)).first()
    if same_file is not None:
        return Match(same_file)
    renamed = {"source_root": root, "source_name": source.name}
    bare = PurePosixPath(source.name).name
    legacy = sections.filter(source_root="").filter(
        Q(source_name=source.name) | Q(source_name=bare, content_hash=content_hash)).first()
    if legacy is not None:
        note = "" if legacy.source_name == source.name else f"stored before as {legacy.source_name}"
        return Match(legacy, renamed, note)
    same_content = list(sections.filter(content_hash=content_hash))
    for other in same_content:
        if _still_there(other, source.root, content_hash):
            return Match(duplicate_of=other.source_name)
    if same_content:
        moved = same_content[0]
        return Match(moved, renamed, f"moved from {moved.source_name}")
    return Match()


def _other_roots_of(source: SourceFile) -> Q:
    """(root, name) pairs that denote the same path as this file's, split at another folder."""
    parts = (source.root / source.name).parts
    wanted = Q(pk__in=[])
    for cut in range(1, len(parts)):
        name = "/".join(parts[cut:])
        if name != source.name and len(name) <= MAX_NAME_LENGTH:
            wanted |= Q(source_root=str(Path(*parts[:cut])), source_name=name)
    return wanted


def _still_there(section: Section, current_root: Path, content_hash: str) -> bool:
    """Whether the section's own file is still where it was, with this content. A page known by
    its bare name only is looked for in the current file's root."""
    path = Path(section.source_root or current_root) / section.source_name
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == content_hash
    except OSError:
        return False
