"""Hypothesis settings for the pure analysis tests: nothing written into the checkout.

Hypothesis keeps an example database and a constants cache in ``./.hypothesis`` by default;
both go to the system temporary directory instead, and the example database is off.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "policeplan-hypothesis")
settings.register_profile("analysis", database=None, deadline=None)
settings.load_profile("analysis")
