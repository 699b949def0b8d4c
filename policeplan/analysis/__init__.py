"""Pure statistics for policeplan: standard library only, no Django, no database.

* ``periods``: ``Month`` ('YYYY-MM'), financial years ('2024/25'), quarters, rolling 12 months,
  financial year to date, gap detection.
* ``trends``: aggregates and changes over periods; a missing month is a gap, never zero.
* ``spc``: NHS "Making Data Count" XmR charts (rules, rebasing, icons); result types live in
  ``spc_model`` and the plain-English icon explanations in ``spc_text``.
* ``exceptions``: whether a metric is an exception, with reasons.
* ``outcomes``: positive outcome rates from police.uk categories or Home Office outcome types.
* ``peers``: a force's rank among its peers.
* ``polarity``: which direction is good (same values as the catalogue's ``Polarity``).
"""
