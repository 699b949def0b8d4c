"""Running the site installs only what running needs (issue 13): requirements.lock holds the
runtime, requirements-dev.lock adds the test and lint tools on the same pins, and `make run`
installs the first alone."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO_ROOT

DEV_TOOLS = {
    "pytest", "pytest-django", "playwright", "mypy", "ruff", "schemathesis", "hypothesis",
    "django-stubs", "openapi-spec-validator", "shapely",
}  # fmt: skip


def pins(lock: str) -> dict[str, str]:
    text = (REPO_ROOT / lock).read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M))


def requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower()


def makefile_recipe(target: str) -> str:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)*)", makefile, re.M)
    assert match, f"no {target} rule in the Makefile"
    return match.group(0)


def test_the_runtime_lock_holds_no_test_or_lint_tool() -> None:
    runtime = pins("requirements.lock")
    assert {"django", "granian", "whitenoise", "django-csp"} <= set(runtime)
    assert DEV_TOOLS & set(runtime) == set()


def test_the_runtime_lock_pins_every_runtime_dependency() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {requirement_name(r) for r in project["project"]["dependencies"]}
    assert wanted - set(pins("requirements.lock")) == set()
    dev = {requirement_name(r) for r in project["project"]["optional-dependencies"]["dev"]}
    assert dev - set(pins("requirements-dev.lock")) == set()


def test_the_dev_lock_adds_tools_on_the_same_runtime_pins() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
    assert set(dev) >= DEV_TOOLS


def test_make_run_installs_the_runtime_lock_only_and_make_test_both() -> None:
    install = makefile_recipe("$(VENV)/.installed")
    assert "requirements.lock" in install and "requirements-dev.lock" not in install
    assert "requirements-dev.lock" in makefile_recipe("$(VENV)/.installed-dev")
    run = makefile_recipe("run")
    assert "config.serve" in run and "install-dev" not in run
    # `pdf-deps` only installs system libraries for WeasyPrint (reports), never Python tools.
    assert makefile_recipe("setup").split(":", 1)[1].split() == [
        "install", "frontend", "pdf-deps", "migrate", "load"
    ]  # fmt: skip
    assert makefile_recipe("test").split(":", 1)[1].split()[0] == "install-dev"
