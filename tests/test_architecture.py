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


# --- No force or plan written into code (issue 12): a second force needs configuration only ---

CODE_ROOTS = ["policeplan", "config", "benchmarks", "frontend/src"]
CODE_SUFFIXES = {".py", ".html", ".js", ".mjs", ".css", ".txt"}
ALLOWED = {
    "config/settings.py",  # the settings defaults name the bundled force and plan
}


def _identifiers() -> set[str]:
    """Every force id, force and area code, area name and plan slug the bundled data defines."""
    import csv

    import yaml

    geography = REPO_ROOT / "data" / "geography"
    found: set[str] = set()
    with (geography / "forces.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found |= {row["police_uk_id"], row["ons_code"]}
    with (geography / "local_authorities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found |= {row["lad_code"], row["name"]}
    for path in (REPO_ROOT / "plans").glob("*.yaml"):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))["plan"]
        found |= {plan["slug"], plan["force"], plan["area_name"]}
    found |= {"LLR", "Leicester"}  # the bundled plan's own short names
    return found


def _code_files() -> list[Path]:
    files = []
    for root in CODE_ROOTS:
        for path in (REPO_ROOT / root).rglob("*"):
            relative = path.relative_to(REPO_ROOT).as_posix()
            if (
                path.suffix in CODE_SUFFIXES
                and "migrations" not in path.parts
                and relative not in ALLOWED
            ):
                files.append(path)
    return files


def test_no_force_or_plan_identifier_in_code() -> None:
    """Force ids, ONS codes, area names and plan slugs belong in plans/, data/, settings
    defaults and tests; code that names one only works for that force."""
    import re

    names = sorted(_identifiers(), key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9_])",
        re.IGNORECASE,
    )
    files = _code_files()
    assert len(files) > 100
    offenders = {
        f"{path.relative_to(REPO_ROOT)}:{number}": match.group(1)
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (match := pattern.search(line))
    }
    assert offenders == {}


def test_the_identifier_check_can_fail(tmp_path: Path) -> None:
    import re

    names = _identifiers()
    assert {"leicestershire", "E23000021", "llr-2024-2029", "nottinghamshire"} <= names
    pattern = re.compile(r"(?<![A-Za-z0-9_])(leicestershire)(?![A-Za-z0-9_])", re.IGNORECASE)
    assert pattern.search('force = "leicestershire"')
    assert pattern.search("2025-01-leicestershire-street.csv")
    assert not pattern.search("leicestershire_street")
