"""Public order, justice and military service: police cases by type and by handling (showing the case the report
accounts for nowhere), administrative cases and violations, citizen ID cards, petitions and citizen receptions,
civil registration, enlistment, age-17 registration and the next call-up (source → eligible → examined).

Pure functions over `camgiang_data.load` (`year`, `data_dir`), returning language-neutral DataFrames (names in
`name_vi`/`name_en`) and small dataclasses; a row this module computes carries a `key` instead of a name. Words,
tables and charts: `camgiang_data.present.reports.public_order`. A figure the data lacks is NaN ("not reported"),
never zero. A handling the report does not list for a case type (no such indicator in the catalogue) is "none
listed": it counts as 0 in the sums that show where each case went, and is flagged as such.

Formulas (named, tested):
- accounted for = dealt with by the unit's police + reported to the district police (a handling not listed: 0);
- unaccounted for = received − accounted for;
- a total's check: total = Σ parts ("holds", "fails", or "unknown" when a figure is missing);
- rate = 100 × count ÷ base (a stage of the call-up against the stage before, a line against the total).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import (Figures, after_colon, clean, compare_frames, difference, figures, missing,
                                            percent, total)
from camgiang_data.topical import parse_dimensions

HANDLINGS = ("received", "handled_by_town_police", "reported_to_district")
CASE_PREFIX = "public_order.cases"
PETITIONS = ["justice.petitions.received", "justice.petitions.resolved", "justice.petitions.transferred"]
RECEPTIONS = "justice.citizen_receptions.chairman"
REGISTRATION_TOTAL = "justice.admin_procedures.total"
DECISIONS = "justice.violations.decisions"
FINES = "justice.violations.fines_paid"
OTHER_ORDER_IDS = ["public_order.cases.administrative_sanction", DECISIONS, FINES, "public_order.citizen_id_cards"]
ENLISTED, REQUIRED = "military.conscription.enlisted", "military.conscription.required"
CALLUP = "military.callup_2022"
CALLUP_STAGES = [("source", "source"), ("eligible_for_prescreening", "source"),
                 ("prescreened", "eligible_for_prescreening"), ("deferred_exempt", "source"),
                 ("not_prescreened", "eligible_for_prescreening")]  # (stage, the stage it is measured against)
CALLUP_SUMS = [("source", ["deferred_exempt", "eligible_for_prescreening"]),
               ("eligible_for_prescreening", ["prescreened", "not_prescreened"])]


# ----------------------------------------------------------------------------------------------- formulas
def rate(count: float, base: float) -> float:
    """100 × count ÷ base; NaN when missing or the base is 0."""
    return percent(count, base)


def check(total_value: float, parts) -> str:
    """'holds' when total = Σ parts, 'fails' when not, 'unknown' when a figure is missing (counts: exact)."""
    s = total(parts)
    if missing(total_value) or missing(s):
        return "unknown"
    return "holds" if abs(float(total_value) - s) < 1e-9 else "fails"


# ----------------------------------------------------------------------------------------------- police cases
def _case_types(f: Figures) -> list[str]:
    """Case types in the order of the catalogue's 'received' indicators (the report's list)."""
    types = []
    for entry in f.catalog.values():
        d = parse_dimensions(entry.get("dimensions"))
        if entry.get("table") == "public_order" and d.get("handling") == "received" and d.get("case_type") != "total":
            types.append(d["case_type"])
    return types


def cases(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per case type: received, dealt with by the unit's police, reported to the district police, the cases
    accounted for (dealt with + reported) and those unaccounted for (received − accounted for).

    `<handling>_listed` is False where the report has no such line (catalogue), which counts as 0 in the sums."""
    f = figures(year, data_dir)
    rows = []
    for case_type in _case_types(f):
        names = f.names(f"{CASE_PREFIX}.received.{case_type}")
        row = {"case_type": case_type, **{f"name_{lg}": after_colon(names[f"name_{lg}"]) for lg in ("vi", "en")}}
        for handling in HANDLINGS:
            iid = f"{CASE_PREFIX}.{handling}.{case_type}"
            listed = iid in f.catalog
            row[handling] = f.value(iid) if listed else float("nan")
            row[f"{handling}_listed"] = listed
        outcomes = [row[h] if row[f"{h}_listed"] else 0.0 for h in HANDLINGS[1:]]
        row["accounted"] = total(outcomes)
        row["unaccounted"] = difference(row["received"], row["accounted"])
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def case_totals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """For each handling: the total the report states (where it states one), the sum of the case types and the
    difference (stated − sum)."""
    f = figures(year, data_dir)
    frame = cases(year, data_dir)
    rows = []
    for handling in HANDLINGS:
        values = [v if listed else 0.0 for v, listed in zip(frame[handling], frame[f"{handling}_listed"])]
        stated, summed = f.value(f"{CASE_PREFIX}.{handling}"), total(values)
        rows.append({"handling": handling, "stated": stated, "sum": summed, "difference": difference(stated, summed)})
    return pd.DataFrame.from_records(rows)


@dataclass(frozen=True)
class CaseBalance:
    """Where the cases received went: each count is the stated total, else the sum of the case types (those
    named in `summed`: the report states no total for them)."""
    year: int
    received: float
    handled: float
    reported: float
    accounted: float  # handled + reported
    unaccounted: float  # received − accounted
    summed: tuple[str, ...] = ()  # of "received", "handled", "reported"

    @property
    def complete(self) -> bool:
        return not any(missing(v) for v in (self.received, self.handled, self.reported))


def case_balance(year: int | None = None, data_dir: str | os.PathLike | None = None) -> CaseBalance:
    """Received, dealt with, reported (each stated, else summed over the types), accounted for and unaccounted for."""
    totals = case_totals(year, data_dir).set_index("handling")
    unstated = [missing(totals.loc[h, "stated"]) for h in HANDLINGS]
    received, handled, reported = (float(totals.loc[h, "sum" if u else "stated"]) for h, u in zip(HANDLINGS, unstated))
    accounted = total([handled, reported])
    summed = tuple(name for name, u in zip(("received", "handled", "reported"), unstated) if u)
    return CaseBalance(figures(year, data_dir).year, received, handled, reported, accounted,
                       difference(received, accounted), summed)


# ----------------------------------------------------------------------------------------------- other tables
def _rows(f: Figures, ids: list[str]) -> list[dict]:
    return [{**f.names(i), "key": None, "value": f.value(i), "qualifier": f.field(i, "qualifier"),
             "as_written": f.field(i, "as_written"), "check": None} for i in ids]


def _computed(key: str, unit: str, parts: list[float], stated: float) -> dict:
    """A sum this module computes, with its `check` against the stated total; no indicator and no name (the
    presentation names it by `key`)."""
    return {"indicator_id": None, "name_vi": None, "name_en": None, "unit": unit, "key": key, "value": total(parts),
            "qualifier": None, "as_written": None, "check": check(stated, parts)}


def other_order(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Administrative sanctions, violation decisions and fines, citizen ID cards."""
    return pd.DataFrame.from_records(_rows(figures(year, data_dir), OTHER_ORDER_IDS))


def petitions(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Petitions received, resolved, transferred, their check received = resolved + transferred (key
    `petitions_check`: the sum, and in `check` whether it holds), and citizen receptions."""
    f = figures(year, data_dir)
    rows = _rows(f, PETITIONS)
    rows.append(_computed("petitions_check", "petitions", [f.value(i) for i in PETITIONS[1:]], f.value(PETITIONS[0])))
    rows += _rows(f, [RECEPTIONS])
    return pd.DataFrame.from_records(rows)


def civil_registration(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Administrative procedures by type (stated, with the unit each is counted in), the sum of the lines (key
    `registration_sum`, with its `check` against the stated total) and the stated total; each line's share of the
    stated total."""
    f = figures(year, data_dir)
    ids = [i for i, e in f.catalog.items() if e.get("table") == "civil_registration" and i != REGISTRATION_TOTAL]
    rows = [{**r, "basis": "stated"} for r in _rows(f, ids)]
    rows.append({**_computed("registration_sum", "count", [r["value"] for r in rows], f.value(REGISTRATION_TOTAL)),
                 "basis": "computed"})
    rows.append({**_rows(f, [REGISTRATION_TOTAL])[0], "basis": "stated"})
    frame = pd.DataFrame.from_records(rows)
    frame["share"] = [rate(v, f.value(REGISTRATION_TOTAL)) for v in frame["value"]]
    return frame


def military(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Enlistment (enlisted / required) and age-17 registration (registered / liable, stated and computed rate);
    the base's own names in `base_name_vi` / `base_name_en`."""
    f = figures(year, data_dir)
    rows = []
    for iid, base_id, stated_id in ((ENLISTED, REQUIRED, None),
                                    ("military.registration_age17.registered", "military.registration_age17.liable",
                                     "military.registration_age17.rate")):
        base = f.names(base_id)
        rows.append({**f.names(iid), "value": f.value(iid), "base": f.value(base_id),
                     "base_name_vi": base["name_vi"], "base_name_en": base["name_en"],
                     "stated_rate": f.value(stated_id) if stated_id else float("nan")})
    frame = pd.DataFrame.from_records(rows)
    frame["rate"] = [rate(v, b) for v, b in zip(frame["value"], frame["base"])]
    return frame


def callup(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The next call-up: each stage with the stage it is measured against (its base) and the rate."""
    f = figures(year, data_dir)
    rows = []
    for stage, base in CALLUP_STAGES:
        iid, base_id = f"{CALLUP}.{stage}", f"{CALLUP}.{base}"
        rows.append({**f.names(iid), "stage": stage, "value": f.value(iid), "base": f.value(base_id),
                     "funnel": stage in ("source", "eligible_for_prescreening", "prescreened")})
    frame = pd.DataFrame.from_records(rows)
    frame["rate"] = [rate(v, b) for v, b in zip(frame["value"], frame["base"])]
    return frame


def callup_checks(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """source = deferred/exempt + eligible; eligible = pre-screened + not pre-screened."""
    frame = callup(year, data_dir).set_index("stage")["value"]
    rows = []
    for whole, parts in CALLUP_SUMS:
        values = [frame[p] for p in parts]
        rows.append({"total": whole, "parts": parts, "total_value": frame[whole], "parts_values": values,
                     "status": check(frame[whole], values)})
    return pd.DataFrame.from_records(rows)


def intake_year(year: int | None = None, data_dir: str | os.PathLike | None = None) -> int | None:
    """The year of the call-up the report prepares (the catalogue's `intake` dimension), None when it has none."""
    f = figures(year, data_dir)
    intake = parse_dimensions(f.catalog.get(f"{CALLUP}.source", {}).get("dimensions")).get("intake")
    return int(intake) if intake and intake.isdigit() else None


def military_targets(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Targets of the military, public-order and justice domains for the next year (`year` + 1)."""
    f = figures(year, data_dir)
    rows = []
    for iid, entry in f.catalog.items():
        row = f.row(iid, f.year + 1, "target")
        if entry.get("domain") in ("military", "public_order", "justice") and row is not None:
            rows.append({**f.names(iid), "year": f.year + 1, "value": float(row["value"]), "unit": row["unit"],
                         "qualifier": clean(row["qualifier"]), "quote": row["quote"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "unit", "year", "value",
                                                    "qualifier", "quote"])


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return _common.actuals(year, data_dir, ("public_order", "justice", "civil_registration", "violations", "military"))


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the domain in `year` and `compare_year`: change = value − previous value."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))
