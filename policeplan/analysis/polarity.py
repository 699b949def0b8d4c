"""Which direction is good for a metric.

The catalogue schema uses this enum too (``policeplan.catalogue.schema`` re-exports it), so a
stored catalogue value converts with ``Polarity(metric.polarity)``.
"""

from __future__ import annotations

from enum import StrEnum


class Polarity(StrEnum):
    LOWER_IS_BETTER = "lower-is-better"
    HIGHER_IS_BETTER = "higher-is-better"
    NEUTRAL = "neutral"

    @classmethod
    def parse(cls, value: str | Polarity) -> Polarity:
        """Accept a Polarity or its text; anything else is a ValueError in plain English."""
        try:
            return cls(str(value))
        except ValueError:
            expected = ", ".join(f"'{member.value}'" for member in cls)
            raise ValueError(f"'{value}' is not a polarity (expected one of {expected})") from None

    @property
    def good_direction(self) -> int:
        """+1 if higher is better, -1 if lower is better, 0 if neither."""
        return {
            Polarity.HIGHER_IS_BETTER: 1,
            Polarity.LOWER_IS_BETTER: -1,
            Polarity.NEUTRAL: 0,
        }[self]

    @property
    def description(self) -> str:
        return {
            Polarity.HIGHER_IS_BETTER: "higher is better",
            Polarity.LOWER_IS_BETTER: "lower is better",
            Polarity.NEUTRAL: "neither higher nor lower is better",
        }[self]

    def judge(self, direction: float) -> str:
        """'improvement', 'concern' or 'neither' for a movement up (+) or down (-)."""
        if direction == 0 or self is Polarity.NEUTRAL:
            return "neither"
        return "improvement" if (direction > 0) == (self.good_direction > 0) else "concern"
