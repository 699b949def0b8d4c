"""Layering rules from ARCHITECTURE.md, checked on the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PURE_PACKAGES = ["policeplan/analysis", "policeplan/sources"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_do_not_import_django(package: str) -> None:
    files = list((REPO_ROOT / package).rglob("*.py"))
    assert files
    offenders = {
        str(f.relative_to(REPO_ROOT)): sorted(n for n in _imports(f) if n.split(".")[0] == "django")
        for f in files
    }
    assert {f: n for f, n in offenders.items() if n} == {}


def test_no_module_over_500_lines() -> None:
    long_modules = {
        str(f.relative_to(REPO_ROOT)): n
        for f in (REPO_ROOT / "policeplan").rglob("*.py")
        if "migrations" not in f.parts
        and (n := len(f.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long_modules == {}


def test_provenance_is_the_ground_floor() -> None:
    """The import lifecycle imports no other policeplan app: every source builds on it."""
    files = list((REPO_ROOT / "policeplan" / "provenance").rglob("*.py"))
    offenders = {
        str(f.relative_to(REPO_ROOT)): sorted(
            n
            for n in _imports(f)
            if n.startswith("policeplan.") and not n.startswith("policeplan.provenance")
        )
        for f in files
    }
    assert {f: n for f, n in offenders.items() if n} == {}
