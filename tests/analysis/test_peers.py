"""Ranking a force among its peers; missing peers are 'no data', never zero."""

from __future__ import annotations

import pytest

from policeplan.analysis.peers import compare_with_peers, ordinal

VALUES: dict[str, float | None] = {
    "Leicestershire": 50.0,
    "Nottinghamshire": 60.0,
    "Derbyshire": 40.0,
    "Lincolnshire": None,
    "Northamptonshire": 50.0,
    "Staffordshire": 70.0,
}


def test_lower_is_better_ranks_lowest_first_with_shared_ranks() -> None:
    result = compare_with_peers("Leicestershire", VALUES, polarity="lower-is-better")
    # Ordered: Derbyshire 40 (1), Leicestershire 50 (2), Northamptonshire 50 (2),
    # Nottinghamshire 60 (4), Staffordshire 70 (5); Lincolnshire has no figure.
    assert [(e.name, e.rank) for e in result.entries] == [
        ("Derbyshire", 1),
        ("Leicestershire", 2),
        ("Northamptonshire", 2),
        ("Nottinghamshire", 4),
        ("Staffordshire", 5),
        ("Lincolnshire", None),
    ]
    assert (result.rank, result.of) == (2, 5)
    assert result.no_data == ("Lincolnshire",)


def test_peer_average_excludes_the_subject_and_missing_peers() -> None:
    result = compare_with_peers("Leicestershire", VALUES, polarity="lower-is-better")
    # Peers with data: 60, 40, 50, 70 -> mean 55, median (50 + 60) / 2 = 55.
    assert result.peer_mean == 55
    assert result.peer_median == 55
    assert result.difference_from_peer_mean == -5
    assert result.percent_difference_from_peer_mean == pytest.approx(-100 * 5 / 55)


def test_including_the_subject_in_the_average() -> None:
    result = compare_with_peers("Leicestershire", VALUES, include_subject_in_average=True)
    assert result.peer_mean == pytest.approx(270 / 5)


def test_higher_is_better_ranks_highest_first() -> None:
    result = compare_with_peers("Leicestershire", VALUES, polarity="higher-is-better")
    assert [e.rank for e in result.entries[:5]] == [1, 2, 3, 3, 5]
    assert result.rank == 3


def test_description() -> None:
    result = compare_with_peers("Leicestershire", VALUES, polarity="lower-is-better")
    assert result.describe() == (
        "Leicestershire ranks 2nd of 5 (1st is the lowest; lower is better). Its figure of 50 is "
        "5 below the peer average of 55. No data: Lincolnshire."
    )


def test_subject_with_no_data_is_not_ranked() -> None:
    result = compare_with_peers("Lincolnshire", VALUES)
    assert result.rank is None and result.value is None
    assert result.difference_from_peer_mean is None
    assert result.peer_mean == 54  # all five forces with data: 270 / 5
    assert result.describe() == "There is no figure for Lincolnshire, so it is not ranked."


def test_unknown_subject() -> None:
    with pytest.raises(ValueError, match="'Kent' is not among the forces compared"):
        compare_with_peers("Kent", VALUES)


def test_no_peers_with_data() -> None:
    result = compare_with_peers("Leicestershire", {"Leicestershire": 5.0, "Rutland": None})
    assert (result.rank, result.of, result.peer_mean, result.peer_median) == (1, 1, None, None)


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")]
    + [(21, "21st"), (22, "22nd"), (43, "43rd"), (111, "111th")],
)
def test_ordinal(number: int, text: str) -> None:
    assert ordinal(number) == text
