"""Hypothesis settings for the pure analysis tests: nothing written into the checkout.

Hypothesis keeps an example database and a constants cache in ``./.hypothesis`` by default;
both go to the system temporary directory instead, and the example database is off.
Hypothesis is optional: without it the property tests are skipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

try:
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
except ImportError:  # pragma: no cover - hypothesis not installed
    pass
else:
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "policeplan-hypothesis")
    settings.register_profile("policeplan-analysis", database=None, deadline=None)
    settings.load_profile("policeplan-analysis")
