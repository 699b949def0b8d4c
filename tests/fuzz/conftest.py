"""Fuzzing settings and the tally ``make fuzz`` prints.

``POLICEPLAN_FUZZ_EXAMPLES`` (default 6: ``make test`` stays fast) is the number of generated
inputs per test; ``POLICEPLAN_FUZZ_SEED`` (default 0) makes a run repeatable."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, seed, settings

EXAMPLES = int(os.environ.get("POLICEPLAN_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("POLICEPLAN_FUZZ_SEED", "0"))
OUTCOMES = ("clear error", "correct import", "anything else")
TALLY: Counter[tuple[str, str]] = Counter()

F = TypeVar("F", bound=Callable[..., Any])


def fuzz(test: F) -> F:
    """Hypothesis with the fuzz settings: EXAMPLES inputs, seeded, no example database."""
    configured = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(test)
    return seed(SEED)(configured)  # type: ignore[no-any-return]


def record(parser: str, outcome: str) -> None:
    TALLY[(parser, outcome)] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    write = terminalreporter.write_line
    write("")
    write(f"Fuzz tally (POLICEPLAN_FUZZ_EXAMPLES={EXAMPLES}, POLICEPLAN_FUZZ_SEED={SEED})")
    parsers = sorted({parser for parser, _ in TALLY})
    write(f"{'parser':<28}{'inputs':>8}" + "".join(f"{o:>16}" for o in OUTCOMES))
    for parser in [*parsers, "total"]:
        counts = [
            sum(n for (p, o), n in TALLY.items() if o == outcome and parser in (p, "total"))
            for outcome in OUTCOMES
        ]
        write(f"{parser:<28}{sum(counts):>8}" + "".join(f"{n:>16}" for n in counts))


@pytest.fixture
def tally() -> Callable[[str, str], None]:
    return record
