"""Where a force stands among its peers (e.g. its most similar group) for one figure.

Rank 1 is the best: the lowest value when lower is better, otherwise the highest (for neutral
metrics rank 1 is simply the highest). Equal values share a rank and the next rank is skipped
("1, 2, 2, 4"). A peer with no figure is listed under ``no_data``: it is never ranked and never
counted as zero. The peer mean and median are of the *other* forces with data unless
``include_subject_in_average`` is set.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from .polarity import Polarity
from .trends import format_number, is_gap


@dataclass(frozen=True)
class RankedEntry:
    name: str
    value: float | None
    rank: int | None  # None when there is no figure
    is_subject: bool


@dataclass(frozen=True)
class PeerComparison:
    subject: str
    value: float | None
    rank: int | None
    of: int  # forces with a figure, the subject included
    peer_mean: float | None
    peer_median: float | None
    difference_from_peer_mean: float | None
    percent_difference_from_peer_mean: float | None  # in percent
    entries: tuple[RankedEntry, ...]  # ranked first (best first), then those with no data
    no_data: tuple[str, ...]
    polarity: Polarity

    def describe(self) -> str:
        """A plain-English sentence or two for a text summary."""
        if self.value is None or self.rank is None:
            text = f"There is no figure for {self.subject}, so it is not ranked."
        else:
            order = "lowest" if self.polarity is Polarity.LOWER_IS_BETTER else "highest"
            text = (
                f"{self.subject} ranks {ordinal(self.rank)} of {self.of} "
                f"(1st is the {order}; {self.polarity.description})."
            )
            if self.peer_mean is not None and self.difference_from_peer_mean is not None:
                difference = self.difference_from_peer_mean
                if difference == 0:
                    text += f" Its figure of {format_number(self.value)} equals the peer average."
                else:
                    side = "above" if difference > 0 else "below"
                    text += (
                        f" Its figure of {format_number(self.value)} is "
                        f"{format_number(abs(difference))} {side} the peer average of "
                        f"{format_number(self.peer_mean)}."
                    )
        others_without_data = [name for name in self.no_data if name != self.subject]
        if others_without_data:
            text += f" No data: {', '.join(others_without_data)}."
        return text


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def compare_with_peers(
    subject: str,
    values: Mapping[str, float | None],
    *,
    polarity: Polarity | str = Polarity.NEUTRAL,
    include_subject_in_average: bool = False,
) -> PeerComparison:
    """Rank ``subject`` among every force in ``values`` (which must include ``subject``)."""
    polarity = Polarity.parse(polarity)
    if subject not in values:
        raise ValueError(f"'{subject}' is not among the forces compared")
    known = {name: float(v) for name, v in values.items() if v is not None and not is_gap(v)}
    no_data = tuple(sorted(name for name in values if name not in known))
    best_first = -1 if polarity is Polarity.LOWER_IS_BETTER else 1
    ordered = sorted(known.items(), key=lambda item: (-best_first * item[1], item[0]))
    ranks: dict[str, int] = {}
    for position, (name, value) in enumerate(ordered, 1):
        previous_name, previous_value = ordered[position - 2] if position > 1 else ("", None)
        ranks[name] = ranks[previous_name] if previous_value == value else position
    entries = tuple(
        RankedEntry(name, value, ranks[name], name == subject) for name, value in ordered
    ) + tuple(RankedEntry(name, None, None, name == subject) for name in no_data)

    peers = [v for name, v in known.items() if include_subject_in_average or name != subject]
    peer_mean = statistics.fmean(peers) if peers else None
    peer_median = statistics.median(peers) if peers else None
    subject_value = known.get(subject)
    difference: float | None = None
    percent: float | None = None
    if subject_value is not None and peer_mean is not None:
        difference = subject_value - peer_mean
        percent = 100 * difference / abs(peer_mean) if peer_mean else None
    return PeerComparison(
        subject=subject,
        value=subject_value,
        rank=ranks.get(subject),
        of=len(known),
        peer_mean=peer_mean,
        peer_median=peer_median,
        difference_from_peer_mean=difference,
        percent_difference_from_peer_mean=percent,
        entries=entries,
        no_data=no_data,
        polarity=polarity,
    )
