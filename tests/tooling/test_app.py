"""The tooling app stays out of the product: not installed by the base settings, its commands
absent from `manage.py help` there, and no product module imports it."""
from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from tests.subprocess_helpers import ROOT, bench_manage, manage

TOOLING_COMMANDS = ("bench_edits", "bench_queries", "benchmark", "hostile_requests", "loadtest", "make_corpus")
TOOLING_PACKAGE = "search.tooling"


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from … import` in `path` names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def product_modules() -> list[Path]:
    tooling = ROOT / "search" / "tooling"
    files = [*ROOT.glob("archive/**/*.py"), *ROOT.glob("search/**/*.py"), ROOT / "manage.py"]
    return [path for path in files if tooling not in path.parents]


def test_no_product_module_imports_the_tooling():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path)
                                            if name == TOOLING_PACKAGE or name.startswith(TOOLING_PACKAGE + "."))
        for path in product_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_base_settings_leave_the_tooling_out():
    assert "search.tooling.apps.ToolingConfig" in settings.INSTALLED_APPS  # the suite runs its commands
    base = (ROOT / "archive" / "settings" / "base.py").read_text(encoding="utf-8")
    assert "tooling" not in base


def test_help_lists_tooling_commands_only_with_the_bench_settings(tmp_path):
    product = manage(["help", "--commands"], tmp_path / "product")
    assert product.returncode == 0, product.stderr
    commands = set(product.stdout.split())
    assert "ingest" in commands and "check_index" in commands
    assert commands.isdisjoint(TOOLING_COMMANDS)
    bench = bench_manage(["help", "--commands"], tmp_path / "bench")
    assert bench.returncode == 0, bench.stderr
    assert set(TOOLING_COMMANDS) <= set(bench.stdout.split())
