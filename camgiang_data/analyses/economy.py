"""Economy and agriculture: growth, income per head and production value against their targets, the economic
structure, sown areas, rice yield, livestock and fish farming.

Pure functions over one year's figures (`analyses._common.figures`), returning DataFrames with the catalogue's
names in both languages (`name_vi`, `name_en`). A figure the data lacks is NaN, never zero. Words, tables and
charts: `camgiang_data.present.reports.economy`.

Formulas (named, tested):
- gap = result − target (percentage points for a rate); attainment = 100 × result ÷ target;
- implied plan = result × 100 ÷ stated attainment; the stated attainment agrees with the computed one within its
  printed rounding;
- sown parts = non-rice crops + rice; with fallow = parts + the fields left uncultivated; unexplained = stated
  total − parts; the stated total is read as the sum it equals within the figures' printed rounding;
- previous year's value = this year's − the stated change (the data's derived rows);
- change against another year = value − that year's value.
"""

from __future__ import annotations

import os

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import (after_colon, change_unit, clean, compare_frames, difference, figures,
                                            implied_plan, missing, percent, total)
from camgiang_data.topical import assess_target

HEADLINE_IDS = ["economy.growth_rate", "economy.income_per_capita", "economy.production_value"]
STRUCTURE_IDS = ["economy.structure_share.agriculture_fisheries", "economy.structure_share.handicrafts",
                 "economy.structure_share.trade_services_wages_other"]
SOWN_PART_IDS = ["agriculture.sown_area.vegetables", "agriculture.sown_area.rice"]
SOWN_TOTAL_ID = "agriculture.sown_area.total"
FALLOW_ID = "agriculture.fallow_area"
FARMING_IDS = ["agriculture.rice_yield", "agriculture.high_quality_rice_share",
               "economy.agri_output_paddy_equivalent_per_ha", "agriculture.livestock.pigs",
               "agriculture.livestock.cattle", "agriculture.livestock.poultry", "agriculture.fish_farming_area",
               FALLOW_ID]
TABLES = ("economy", "agriculture")
SHOWN_IDS = set(HEADLINE_IDS + STRUCTURE_IDS + SOWN_PART_IDS + [SOWN_TOTAL_ID] + FARMING_IDS)
# the computed rows of `sown_area`: key, formula, the rows (by key) it adds up (the last one subtracted)
SOWN_SUMS = (("sown_parts_sum", "vegetables + rice", SOWN_PART_IDS),
             ("sown_parts_fallow", "vegetables + rice + fallow", SOWN_PART_IDS + [FALLOW_ID]),
             ("sown_unexplained", "stated total − (vegetables + rice)", None))
ATTAINMENT_PRECISION = 0.05  # an attainment printed with one decimal, when the data gives no tolerance


# ----------------------------------------------------------------------------------------------- formulas
def attainment(actual: float, target: float) -> float:
    """Plan attainment in % = 100 × actual ÷ target (NaN when either is missing or the target is 0)."""
    return percent(actual, target)


def agrees(computed: float, stated: float, tolerance: float) -> bool | None:
    """|stated − computed| within `tolerance`; None when either is missing."""
    if missing(computed) or missing(stated):
        return None
    return abs(float(stated) - float(computed)) <= float(tolerance) + 1e-9


# ----------------------------------------------------------------------------------------------- targets
def targets(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Growth, income per head and production value: result, target, gap, attainment (computed and stated),
    whether they agree, the plan a stated attainment implies, met / not met, and next year's target."""
    f = figures(year, data_dir)
    records = []
    for iid in HEADLINE_IDS:
        actual, target = f.value(iid), f.value(iid, kind="target")
        stated = f.value(iid, kind="plan_attainment")
        a_q, t_q = f.field(iid, "qualifier"), f.field(iid, "qualifier", kind="target")
        computed = attainment(actual, target)
        records.append({
            **f.names(iid), "year": f.year, "gap_unit": change_unit(f.names(iid)["unit"]),
            "actual": actual, "actual_qualifier": a_q, "estimated": bool(f.field(iid, "estimated") or False),
            "target": target, "target_qualifier": t_q,
            "gap": difference(actual, target), "attainment": computed,
            "stated_attainment": stated,
            "attainment_agrees": agrees(computed, stated, _attainment_tolerance(f, iid)),
            "implied_plan": implied_plan(actual, stated),
            "status": assess_target(target, t_q, None if missing(actual) else actual) if not missing(target)
            else "not_reported",
            "next_target": f.value(iid, f.year + 1, "target"),
            "next_target_qualifier": f.field(iid, "qualifier", f.year + 1, "target"),
        })
    return pd.DataFrame.from_records(records)


def _attainment_tolerance(f, iid: str) -> float:
    """The printed rounding of the stated attainment (half its last digit)."""
    tolerance = f.field(iid, "tolerance", kind="plan_attainment")
    return ATTAINMENT_PRECISION if missing(tolerance) or not tolerance else float(tolerance)


def attainment_bars(frame: pd.DataFrame) -> pd.DataFrame:
    """The bars of the attainment chart from a `targets` frame: one per computed attainment, and one per
    attainment the report states (where it states one)."""
    rows = []
    for row in frame.to_dict("records"):
        names = {k: row[k] for k in ("indicator_id", "name_vi", "name_en")}
        rows.append({**names, "basis": "computed", "value": row["attainment"]})
        if not missing(row["stated_attainment"]):
            rows.append({**names, "basis": "stated", "value": row["stated_attainment"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "basis", "value"])


# ----------------------------------------------------------------------------------------------- structure
def structure(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The economic structure: each sector's share of the production value (stated), with a short label."""
    f = figures(year, data_dir)
    records = []
    for iid in STRUCTURE_IDS:
        names = f.names(iid)
        records.append({**names, "year": f.year, "label_vi": after_colon(names["name_vi"]),
                        "label_en": after_colon(names["name_en"]), "share": f.value(iid)})
    return pd.DataFrame.from_records(records)


def shares_sum(frame: pd.DataFrame) -> float:
    """Sum of the sector shares of a `structure` frame (%); NaN when a share is missing."""
    return total(frame["share"])


# ----------------------------------------------------------------------------------------------- sown area
def sown_area(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sown-area lines the report gives, the fallow area, the sums of the parts and the stated total.
    `basis` is `stated` or `computed` (with the formula in `formula`; computed rows have no catalogue name, their
    `key` names them); `tolerance` is the printed rounding (a sum's is the sum of its parts')."""
    f = figures(year, data_dir)
    stated = {i: (f.value(i), _tolerance(f, i)) for i in SOWN_PART_IDS + [FALLOW_ID, SOWN_TOTAL_ID]}
    rows = [{**f.names(i), "key": i, "value": stated[i][0], "tolerance": stated[i][1], "basis": "stated",
             "formula": None} for i in SOWN_PART_IDS + [FALLOW_ID]]
    for key, formula, parts in SOWN_SUMS:
        if parts is None:  # what the stated total holds beyond the two parts
            value = difference(stated[SOWN_TOTAL_ID][0], total(stated[i][0] for i in SOWN_PART_IDS))
            parts = SOWN_PART_IDS + [SOWN_TOTAL_ID]
        else:
            value = total(stated[i][0] for i in parts)
        rows.append({"indicator_id": None, "key": key, "name_vi": None, "name_en": None, "unit": "ha",
                     "value": value, "tolerance": sum(stated[i][1] for i in parts), "basis": "computed",
                     "formula": formula})
    rows.append({**f.names(SOWN_TOTAL_ID), "key": SOWN_TOTAL_ID, "value": stated[SOWN_TOTAL_ID][0],
                 "tolerance": stated[SOWN_TOTAL_ID][1], "basis": "stated", "formula": None})
    return pd.DataFrame.from_records(rows)


def _tolerance(f, iid: str) -> float:
    tolerance = f.field(iid, "tolerance")
    return 0.0 if missing(tolerance) else float(tolerance)


def sown_total_reading(frame: pd.DataFrame) -> str | None:
    """Which sum of a `sown_area` frame the stated total equals, within the printed rounding: `parts`
    (non-rice crops + rice), `parts_fallow` (… + the fields left uncultivated) or `neither`; None when a figure
    is missing."""
    rows = frame.set_index("key")
    if rows["value"].isna().any():
        return None
    stated, stated_tol = rows.loc[SOWN_TOTAL_ID, ["value", "tolerance"]]
    for key, reading in (("sown_parts_sum", "parts"), ("sown_parts_fallow", "parts_fallow")):
        if agrees(rows.loc[key, "value"], stated, rows.loc[key, "tolerance"] + stated_tol):
            return reading
    return "neither"


# ----------------------------------------------------------------------------------------------- farming
def farming(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Rice yield, high-quality rice, paddy-equivalent output, livestock, fish area and fallow area: the value,
    the stated change from the previous year and the previous year's value derived from it (where the report
    gives one)."""
    f = figures(year, data_dir)
    records = []
    for iid in FARMING_IDS:
        names = f.names(iid)
        prior = f.row(iid, f.year - 1)
        records.append({
            **names, "year": f.year, "value": f.value(iid), "qualifier": f.field(iid, "qualifier"),
            "estimated": bool(f.field(iid, "estimated") or False),
            "change": f.value(iid, kind="change"), "change_unit": f.field(iid, "unit", kind="change"),
            "prior": float("nan") if prior is None else float(prior["value"]),
            "prior_formula": None if prior is None else clean(prior.get("formula")),
        })
    return pd.DataFrame.from_records(records)


def prior_values(frame: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """The rows of a `farming` frame that have a previous-year value (derived inside this year's report), of
    `unit` only if given."""
    rows = frame[frame["prior"].notna()]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    return rows.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- statements
def statements(year: int | None = None, data_dir: str | os.PathLike | None = None,
               indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Every statement of the indicators stated more than once (or of `indicator_ids`): mention, value,
    qualifier, as written, section and sentence, in report order."""
    f = figures(year, data_dir)
    facts = f.facts[(f.facts["basis"] == "stated") & (f.facts["year"] == f.year) & (f.facts["kind"] == "actual")]
    if indicator_ids is None:
        ids = set(facts.loc[facts["mention"] > 1, "indicator_id"])
        indicator_ids = [i for i in HEADLINE_IDS + FARMING_IDS + STRUCTURE_IDS if i in ids]
    rows = []
    for iid in indicator_ids:
        for row in facts[facts["indicator_id"] == iid].sort_values("mention").to_dict("records"):
            rows.append({**f.names(iid), "mention": int(row["mention"]), "value": float(row["value"]),
                         "unit": row["unit"], "qualifier": clean(row["qualifier"]),
                         "as_written": row["as_written"], "section": row["section"], "quote": row["quote"]})
    columns = ["indicator_id", "name_vi", "name_en", "mention", "value", "unit", "qualifier", "as_written",
               "section", "quote"]
    return pd.DataFrame.from_records(rows, columns=columns)


def differing_statements(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """The statements of each indicator of a `statements` frame whose statements differ (in value or qualifier),
    in report order."""
    groups = []
    for _, group in frame.groupby("indicator_id", sort=False):
        if len({(v, q) for v, q in zip(group["value"], group["qualifier"].fillna(""))}) > 1:
            groups.append(group)
    return groups


# ----------------------------------------------------------------------------------------------- the rest
def other_figures(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Figures of the economy and agriculture tables for the year not shown elsewhere in this report (a figure
    not filled yet, with no value, is none)."""
    f = figures(year, data_dir)
    ids = sorted({iid for iid, entry in f.catalog.items() if entry.get("table") in TABLES} - SHOWN_IDS)
    rows = []
    for iid in ids:
        for kind in ("actual", "target"):
            row = f.row(iid, kind=kind)
            if row is not None and not missing(row["value"]):
                rows.append({**f.names(iid), "kind": kind, "value": float(row["value"]), "unit": row["unit"],
                             "qualifier": clean(row["qualifier"]), "quote": row["quote"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "kind", "value", "unit",
                                                    "qualifier", "quote"])


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the year in the economy and agriculture tables (first statement), for comparison."""
    return _common.actuals(year, data_dir, TABLES, sort=True)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """This year's actuals against those of `compare_year` (each from its own year's data)."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))
