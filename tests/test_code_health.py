"""Checks on the code itself, run with the suite: ruff is clean, project modules import
one another without cycles and only at module level, the layers point one way, no
module is over 400 lines, and private Whoosh names stay in the one module that knows
Whoosh's format (search/engines/whoosh/fileformat.py)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("archive", "search")
MAX_LINES = 400
# Tooling on its way into an app of its own (issue 23, the work beside this one); until it
# lands there these stay as they are.
# The URL configuration and the WSGI entry wire every app into the site: the top layer.
URL_WIRING = {"archive.urls", "archive.site_urls", "archive.wsgi"}
FORMAT_MODULE = "search/engines/whoosh/fileformat.py"
# Private names of Whoosh objects the index relies on; only FORMAT_MODULE may touch them.
WHOOSH_PRIVATE = {
    "_INT_SIZE", "_lenfield", "_terms", "_postfile", "_text_to_bytes", "_baseoffset", "_read_data",
    "_goto", "_data", "_blocklength", "_maxid", "_lastblock", "_nextoffset", "_file", "_offset",
    "_perdoc", "_cached_reader", "_postwriter", "_inlinelimit", "_byteids", "_blocklimit",
    "_compression", "_tindex", "_fieldid", "_write_block", "_segments", "_blockcount", "_terminfo",
    "_mini_ids", "_mini_weights", "_mini_values", "_maxweight", "_minlength", "_maxlength",
    "_new_block", "_ids", "_commit_toc",
}


def source_files() -> list[Path]:
    files = []
    for package in PROJECT:
        files += [path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts]
    return sorted(files)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in source_files()}


def imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement names (`from a import b` names a.b if it is one)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or not node.module:
        return []
    else:
        names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                 for alias in node.names]
    return [name for name in names if name.split(".")[0] in PROJECT and name in MODULES]


def imports_of(path: Path) -> list[tuple[ast.AST, str, bool]]:
    """(node, imported module, allowed where it is) for every project import in a file:
    allowed at module level, and inside AppConfig.ready() (Django's place for connecting
    signal receivers, when the models are loaded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = {id(node) for node in tree.body}
    if path.name == "apps.py":
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef) and func.name == "ready":
                allowed |= {id(node) for node in ast.walk(func)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in imported_modules(node):
                found.append((node, name, id(node) in allowed))
    return found


def graph() -> dict[str, set[str]]:
    return {name: {target for _node, target, _top in imports_of(path) if target != name}
            for name, path in MODULES.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_cycles_between_project_modules():
    assert cycles(graph()) == []


def test_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_project_modules_are_imported_at_module_level_only():
    hidden = [f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
              for path in MODULES.values() for node, name, top in imports_of(path)
              if not top]
    assert hidden == []


def test_the_archive_does_not_import_search():
    found = [f"{name} imports {target}" for name, targets in graph().items() if name.startswith("archive")
             and name not in URL_WIRING for target in targets if target.startswith("search")]
    assert found == []


def test_the_text_layer_stands_alone():
    """archive/text/ is plain Python over jieba, OpenCC and NumPy: no Django, no Whoosh, no app."""
    found = []
    for name, path in MODULES.items():
        if not name.startswith("archive.text"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for imported in names:
                top = imported.split(".")[0]
                if top in ("django", "whoosh", "haystack", "search") or (
                        top == "archive" and not imported.startswith("archive.text")):
                    found.append(f"{name} imports {imported}")
    assert found == []


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): lines for path in source_files()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def whoosh_private_uses(path: Path) -> list[str]:
    """Private Whoosh names touched in a file: imported from whoosh, read or written as an
    attribute of anything but the object's own class (self/cls), or a `__class__` swap."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{node.lineno}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if node.attr in WHOOSH_PRIVATE and owner not in ("self", "cls"):
                found.append(f"{node.lineno}: .{node.attr}")
            elif node.attr == "__class__" and isinstance(node.ctx, ast.Store):
                found.append(f"{node.lineno}: __class__ swap")
    return found


@pytest.mark.parametrize("text, expected", [
    ("reader._terms._postfile", 2), ("self._postfile", 0), ("from whoosh.system import _INT_SIZE", 1),
    ("f.__class__ = Other", 1), ("matcher._goto(offset)", 1), ("thing.public", 0),
])
def test_private_whoosh_check_sees_what_it_should(tmp_path, text, expected):
    probe = tmp_path / "probe.py"
    probe.write_text(text + "\n", encoding="utf-8")
    assert len(whoosh_private_uses(probe)) == expected


def test_private_whoosh_names_stay_in_the_format_module():
    test_files = sorted((ROOT / "tests").glob("*.py"))
    found = {str(path.relative_to(ROOT)): uses for path in source_files() + test_files
             if str(path.relative_to(ROOT)) not in (FORMAT_MODULE, "tests/test_whoosh_format.py",
                                                    "tests/test_code_health.py")
             and (uses := whoosh_private_uses(path))}
    assert found == {}
