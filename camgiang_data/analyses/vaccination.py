"""Vaccination coverage (Tiêm chủng): Covid-19 doses 1, 2 and 3 against the bases the report prints with them,
and animal vaccinations by species and disease.

Pure functions over `camgiang_data.load("vaccination", year, data_dir)`; the doses and the animal vaccinations
come from the catalogue (table `vaccination`), so a figure the data lacks for a year is listed with a missing
value. Words, tables and charts: `camgiang_data.present.reports.vaccination`.

Formulas (named, tested):
- coverage of a dose = 100 × persons vaccinated ÷ the base printed with it (`a/b` in the report);
- the bases are compared as printed (`bases_pattern`), and each with the printed counts (`base_relations`): the
  report does not say what populations they are.
"""

from __future__ import annotations

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import missing as is_missing
from camgiang_data.paths import resolve_year
from camgiang_data.topical import parse_dimensions

TABLE = "vaccination"
NAN = float("nan")
DOSE_PREFIX, BASE_PREFIX = "covid.vaccinated.", "covid.vaccination_base."
ANIMAL_PREFIX = "agriculture.vaccination_doses"


# ----------------------------------------------------------------------------------------------- data access

def _catalog(data_dir) -> pd.DataFrame:
    catalog = cg.catalog(data_dir)
    return catalog[catalog["table"] == TABLE].reset_index(drop=True)


def _first(frame, indicator_id, year, column="value"):
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == "actual")]
    if not len(rows):
        return NAN if column == "value" else None
    value = rows[column].iloc[0]
    return None if value is pd.NA else value


def coverage(vaccinated, base) -> float:
    """100 × vaccinated ÷ base; missing when either is missing or the base is zero."""
    if is_missing(vaccinated) or is_missing(base) or float(base) == 0:
        return NAN
    return 100.0 * float(vaccinated) / float(base)


# ------------------------------------------------------------------------------------------------ analyses

def covid_doses(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """One row per dose (from the catalogue): persons vaccinated, the base printed with it, coverage (%), the
    printed fraction and the quote."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    catalog = _catalog(data_dir)
    doses = sorted({parse_dimensions(d).get("dose") for d in catalog["dimensions"]} - {None}, key=int)
    records = []
    for dose in doses:
        vid, bid = f"{DOSE_PREFIX}dose{dose}", f"{BASE_PREFIX}dose{dose}"
        vaccinated, base = _first(data, vid, year), _first(data, bid, year)
        records.append({
            "dose": int(dose), "indicator_id": vid, "base_id": bid, "year": year,
            "vaccinated": vaccinated, "base": base, "coverage": coverage(vaccinated, base),
            "vaccinated_as_written": _first(data, vid, year, "as_written"),
            "base_as_written": _first(data, bid, year, "as_written"),
            "quote": _first(data, vid, year, "quote") or _first(data, bid, year, "quote"),
        })
    return pd.DataFrame.from_records(records)


def base_relations(frame: pd.DataFrame) -> pd.DataFrame:
    """For each dose's base: the dose whose printed count equals it, if any (e.g. the dose-3 base equals the
    number of persons with two doses). Exact equality of printed whole numbers; nothing is inferred."""
    counts = {int(d): v for d, v in zip(frame["dose"], frame["vaccinated"]) if not is_missing(v)}
    records = []
    for row in frame.to_dict("records"):
        equal = [d for d, v in counts.items() if d != row["dose"] and not is_missing(row["base"])
                 and float(v) == float(row["base"])]
        records.append({"dose": row["dose"], "base": row["base"], "equals_count_of_dose": equal[0] if equal else None})
    return pd.DataFrame.from_records(records)


def bases_differ(frame: pd.DataFrame) -> bool | None:
    """True when the printed bases are not all the same (None when fewer than two are reported)."""
    bases = [float(b) for b in frame["base"] if not is_missing(b)]
    return None if len(bases) < 2 else len(set(bases)) > 1


def bases_pattern(frame: pd.DataFrame) -> str | None:
    """How the bases of the doses compare: "distinct" (every dose has its base, no two alike), "differ" (not all
    the same), "same" (every dose, one base), "same_reported" (one base for the doses that have one), or None when
    fewer than two bases are reported."""
    differ = bases_differ(frame)
    if differ is None:
        return None
    bases = list(frame["base"])
    complete = not any(is_missing(b) for b in bases)
    if differ:
        return "distinct" if complete and len({float(b) for b in bases}) == len(bases) else "differ"
    return "same" if complete else "same_reported"


def animal_vaccinations(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """One row per animal vaccination of the catalogue: species, disease, round, status (given / registered),
    doses."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    catalog = _catalog(data_dir)
    catalog = catalog[catalog["indicator_id"].str.startswith(ANIMAL_PREFIX)]
    records = []
    for row in catalog.to_dict("records"):
        dims = parse_dimensions(row["dimensions"])
        records.append({
            "indicator_id": row["indicator_id"], "name_vi": row["name_vi"], "name_en": row["name_en"],
            "species": dims.get("species"), "disease": dims.get("disease"), "round": dims.get("round"),
            "status": dims.get("status", "given"), "year": year, "doses": _first(data, row["indicator_id"], year),
            "unit": row["unit"], "quote": _first(data, row["indicator_id"], year, "quote"),
        })
    return pd.DataFrame.from_records(records, columns=["indicator_id", "name_vi", "name_en", "species", "disease",
                                                       "round", "status", "year", "doses", "unit", "quote"])


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Vaccinated, base and coverage per dose (`item`), and animal doses (`item` = the indicator), in both years;
    change = value − compare value."""
    year = resolve_year(year, data_dir)

    def long(y):
        doses = covid_doses(y, data_dir)
        rows = []
        for r in doses.to_dict("records"):
            rows += [{"key": f"dose{r['dose']}.{item}", "dose": r["dose"], "item": item, "value": r[item],
                      "unit": unit} for item, unit in (("vaccinated", "persons"), ("base", "persons"),
                                                       ("coverage", "percent"))]
        for r in animal_vaccinations(y, data_dir).to_dict("records"):
            rows.append({"key": r["indicator_id"], "dose": None, "item": r["indicator_id"], "value": r["doses"],
                         "unit": r["unit"], "name_vi": r["name_vi"], "name_en": r["name_en"]})
        return pd.DataFrame(rows)

    now, before = long(year), long(compare_year)
    out = now.merge(before[["key", "value"]].rename(columns={"value": "compare_value"}), on="key", how="left")
    out["change"] = out["value"] - out["compare_value"]
    out["year"], out["compare_year"] = year, compare_year
    return out
