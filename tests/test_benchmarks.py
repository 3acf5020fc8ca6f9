"""Every benchmark runs in the venv `make install` builds: it imports nothing only the tests install,
and what it needs beyond the product comes from the documented `bench` extra."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_ONLY = {"pytest", "_pytest", "hypothesis", "playwright", "schemathesis", "axe_playwright_python", "tox"}
BENCH_EXTRA = {"locust"}  # setup.cfg's `bench` extra (with gunicorn, which bench/web.py runs as a program)
LOCAL = {path.stem: path for folder in ("bench", "tests") for path in (ROOT / folder).glob("*.py")}


def imported(path: Path, seen: set[Path]) -> set[str]:
    """Top-level modules ``path`` imports, following the benchmarks' and test helpers' own modules."""
    seen.add(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in LOCAL and LOCAL[top] not in seen:
                found |= imported(LOCAL[top], seen)
            elif top not in LOCAL:
                found.add(top)
    return found


@pytest.mark.parametrize("bench", sorted((ROOT / "bench").glob("*.py")), ids=lambda path: path.name)
def test_a_benchmark_needs_only_what_make_install_installs(bench: Path) -> None:
    modules = imported(bench, set())
    assert not modules & TEST_ONLY, f"{bench.name} imports test-only {sorted(modules & TEST_ONLY)}"
    extras = modules & BENCH_EXTRA
    assert all(f"    {module}" in (ROOT / "setup.cfg").read_text() for module in extras), "in the bench extra"
    for module in sorted(modules - set(sys.stdlib_module_names) - {"tandem"} - BENCH_EXTRA):
        __import__(module)  # installed by `make install` (install_requires and the postgres extra)
