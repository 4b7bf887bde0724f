"""References to figures (`ID`, `ID@2020`, `ID:target`, `ID@-1:change`) and a lookup index over a facts table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_REF = re.compile(r"(?P<id>[a-z0-9_]+(?:\.[a-z0-9_]+)+)(?:@(?P<year>[+-]?\d{1,4}))?(?::(?P<kind>[a-z_]+))?")


@dataclass(frozen=True)
class Ref:
    indicator_id: str
    year: int
    kind: str = "actual"

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.year}:{self.kind}"


def parse_ref(text: str, default_year: int) -> Ref:
    """Parse a reference; a signed year (`@-1`) is relative to `default_year`."""
    m = _REF.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a reference of the form ID, ID@YEAR, ID:KIND or ID@YEAR:KIND")
    year_text = m["year"]
    if year_text is None:
        year = default_year
    elif year_text[0] in "+-":
        year = default_year + int(year_text)
    else:
        year = int(year_text)
    return Ref(m["id"], year, m["kind"] or "actual")


class FactIndex:
    """Finds the figure a reference means: the first stated mention, else the derived value."""

    def __init__(self, facts: pd.DataFrame):
        self._rows: dict[tuple, dict] = {}
        ordered = facts.assign(_order=facts["basis"].map({"stated": 0, "derived": 1}))
        ordered = ordered.sort_values(["_order", "mention"], na_position="last")
        for row in ordered.to_dict("records"):
            self._rows.setdefault((row["indicator_id"], row["year"], row["kind"]), row)

    def get(self, ref: Ref) -> dict | None:
        return self._rows.get((ref.indicator_id, ref.year, ref.kind))

    def add(self, row: dict) -> None:
        self._rows.setdefault((row["indicator_id"], row["year"], row["kind"]), row)
