"""The merge step: figures found in a new report into the rows of the year's facts.csv, as a pure function.

Rows are facts.csv's rows as strings (the file's own cells, `_line` aside); figures are engine candidates,
each with the section it stands in. A figure fills its (indicator, year, kind, mention) row when that row is not
filled yet, adds a row when there is none, and leaves a filled row alone unless `overwrite` (then the old row
is kept beside the figure, for the review). A figure in no section is not placed. Nothing here reads or writes
a file: `merge` is tested on rows and candidates alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..checks.provenance import normalise
from ..numbers import parse_machine_number

FILL_COLUMNS = ("value", "as_written", "quote")
OUTCOMES = ("filled", "added", "unchanged", "left_alone", "overwritten", "unplaced")


@dataclass
class Placed:
    """A figure of the new report and where it went."""

    candidate: object
    section: str | None
    row: int | None = None  # line in facts.csv, once written
    previous: dict | None = None  # the row it left alone or replaced


@dataclass
class Merged:
    rows: list[dict]
    placed: list[tuple[str, Placed, int | None]] = field(default_factory=list)  # (outcome, figure, row index)


def is_filled(row: dict) -> bool:
    return any((row.get(c) or "").strip() for c in FILL_COLUMNS)


def _int(text) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def row_key(row: dict) -> tuple | None:
    year, mention = _int(row.get("year")), _int(row.get("mention"))
    if year is None or mention is None or not row.get("indicator_id") or not row.get("kind"):
        return None
    return row["indicator_id"].strip(), year, row["kind"].strip(), mention


def machine_number(value: float) -> str:
    """A value in the machine form of the data files: dot decimal, no grouping, no exponent."""
    from decimal import Decimal

    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def candidate_row(c, section: str, base: dict) -> dict:
    return {
        **base,
        "indicator_id": c.indicator_id, "year": str(int(c.year)), "kind": c.kind, "value": machine_number(c.value),
        "unit": c.unit, "qualifier": c.qualifier or "", "estimated": "true" if c.estimated else "false",
        "as_written": c.as_written, "unit_as_written": getattr(c, "unit_as_written", "") or "",
        "quote": c.quote, "section": section, "source_year": "",
    }


def same(row: dict, c, section: str) -> bool:
    """Does a filled row already say exactly what the figure says?"""
    try:
        value = parse_machine_number(row.get("value", ""))
    except ValueError:
        return False
    return (math.isclose(value, float(c.value), rel_tol=1e-12, abs_tol=1e-12)
            and row.get("as_written", "") == c.as_written and normalise(row.get("quote", "")) == normalise(c.quote)
            and (row.get("unit_as_written") or "") == (getattr(c, "unit_as_written", "") or "")
            and row.get("section", "") == section and (row.get("qualifier") or "") == (c.qualifier or "")
            and row.get("unit", "") == c.unit)


def carried_counts(rows: list[dict], year: int) -> dict[tuple, int]:
    """Per (indicator, year, kind): rows carried in from an earlier report (targets set last year). This
    report's own statements of the figure come after them in mention order."""
    counts: dict[tuple, int] = {}
    for row in rows:
        key = row_key(row)
        if key is not None and (row.get("source_year") or "").strip() not in ("", str(year)):
            counts[key[:3]] = counts.get(key[:3], 0) + 1
    return counts


def merge(rows: list[dict], figures: list[tuple[object, str | None]], year: int, fields: list[str],
          names: dict[str, str], overwrite: bool = False) -> Merged:
    """Merge `figures` ((candidate, section) pairs) into a copy of `rows` (see the module docstring); `names`
    gives each indicator's name for the note a filled row carries."""
    rows = [dict(r) for r in rows]
    index: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        key = row_key(row)
        if key is not None:
            index.setdefault(key, i)
    carried = carried_counts(rows, year)
    out = Merged(rows)
    for c, section in sorted(figures, key=lambda f: f[0].start):
        placed = Placed(c, section)
        if section is None:
            out.placed.append(("unplaced", placed, None))
            continue
        mention = int(c.mention) + carried.get((c.indicator_id, int(c.year), c.kind), 0)
        key = (c.indicator_id, int(c.year), c.kind, mention)
        note = f"{names.get(c.indicator_id, c.indicator_id)}; filled by camgiang extract: check it"
        if key not in index:
            new = candidate_row(c, section, {k: "" for k in fields})
            new.update(mention=str(mention), note=note)
            rows.append(new)
            index[key] = len(rows) - 1
            out.placed.append(("added", placed, len(rows) - 1))
            continue
        i = index[key]
        row = rows[i]
        if not is_filled(row):
            rows[i] = {**candidate_row(c, section, row), "mention": str(mention), "note": note}
            out.placed.append(("filled", placed, i))
        elif same(row, c, section):
            out.placed.append(("unchanged", placed, i))
        elif overwrite:
            placed.previous = dict(row)
            rows[i] = {**candidate_row(c, section, row), "mention": str(mention), "note": note}
            out.placed.append(("overwritten", placed, i))
        else:
            placed.previous = dict(row)
            out.placed.append(("left_alone", placed, i))
    return out
