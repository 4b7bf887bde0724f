"""Public order, justice and military service: police cases by type and by handling (showing the case the report
accounts for nowhere), administrative cases and violations, citizen ID cards, petitions and citizen receptions,
civil registration, enlistment, age-17 registration and the next call-up (source → eligible → examined).

Pure functions over `camgiang_data.load` (`year`, `data_dir`); language-neutral frames with `name_vi`/`name_en`;
words a reader sees are in `TEXT`. A figure the data lacks is NaN ("not reported"), never zero. A handling the
report does not list for a case type (no such indicator in the catalogue) is "none listed": it counts as 0 in the
sums that show where each case went, and is flagged as such.
"""

from __future__ import annotations

import os

import pandas as pd

from camgiang_data import units
from camgiang_data.analyses import _common
from camgiang_data.analyses._common import (Figures, after_colon, cell, clean, compare_columns, compare_frames,
                                            difference, figures, missing, number, percent, total)
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present import heading as present_heading
from camgiang_data.present.fmt import format_value
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.topical import parse_dimensions

TEXT = messages.report("public_order")  # words for readers: camgiang_data/messages/reports/public_order.toml
TITLE = TEXT["title"]

HANDLINGS = ("received", "handled_by_town_police", "reported_to_district")
CASE_PREFIX = "public_order.cases"
PETITIONS = ["justice.petitions.received", "justice.petitions.resolved", "justice.petitions.transferred"]
RECEPTIONS = "justice.citizen_receptions.chairman"
REGISTRATION_TOTAL = "justice.admin_procedures.total"
OTHER_ORDER_IDS = ["public_order.cases.administrative_sanction", "justice.violations.decisions",
                   "justice.violations.fines_paid", "public_order.citizen_id_cards"]
CALLUP = "military.callup_2022"


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
    for iid, entry in f.catalog.items():
        d = parse_dimensions(entry.get("dimensions"))
        if entry.get("table") == "public_order" and d.get("handling") == "received" and d.get("case_type") != "total":
            types.append(d["case_type"])
    return types


def cases(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per case type: received, dealt with by the town police, reported to the district police, the cases
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
    difference."""
    f = figures(year, data_dir)
    frame = cases(year, data_dir)
    rows = []
    for handling in HANDLINGS:
        values = [v if listed else 0.0 for v, listed in zip(frame[handling], frame[f"{handling}_listed"])]
        stated = f.value(f"{CASE_PREFIX}.{handling}")
        summed = total(values)
        rows.append({"handling": handling, "name_vi": TEXT[f"totals.{handling}"]["vi"],
                     "name_en": TEXT[f"totals.{handling}"]["en"], "stated": stated, "sum": summed,
                     "difference": difference(stated, summed)})
    return pd.DataFrame.from_records(rows)


def case_balance(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dict:
    """Received (stated total), dealt with (sum), reported (stated total), accounted for and unaccounted for."""
    totals = case_totals(year, data_dir).set_index("handling")
    received = totals.loc["received", "stated"]
    if missing(received):
        received = totals.loc["received", "sum"]
    handled = totals.loc["handled_by_town_police", "stated"]
    if missing(handled):
        handled = totals.loc["handled_by_town_police", "sum"]
    reported = totals.loc["reported_to_district", "stated"]
    if missing(reported):
        reported = totals.loc["reported_to_district", "sum"]
    accounted = total([handled, reported])
    return {"received": received, "handled": handled, "reported": reported, "accounted": accounted,
            "unaccounted": difference(received, accounted)}


# ----------------------------------------------------------------------------------------------- other tables
def _rows(f: Figures, ids: list[str]) -> list[dict]:
    return [{**f.names(i), "value": f.value(i), "qualifier": f.field(i, "qualifier"),
             "as_written": f.field(i, "as_written")} for i in ids]


def other_order(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Administrative sanctions, violation decisions and fines, citizen ID cards."""
    return pd.DataFrame.from_records(_rows(figures(year, data_dir), OTHER_ORDER_IDS))


def petitions(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Petitions received, resolved, transferred, the check resolved + transferred, and citizen receptions."""
    f = figures(year, data_dir)
    rows = _rows(f, PETITIONS)
    rows.append({"indicator_id": None, "name_vi": TEXT["petitions_check"]["vi"],
                 "name_en": TEXT["petitions_check"]["en"], "unit": "petitions",
                 "value": total([f.value(i) for i in PETITIONS[1:]]), "qualifier": None, "as_written": None})
    rows += _rows(f, [RECEPTIONS])
    return pd.DataFrame.from_records(rows)


def civil_registration(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Administrative procedures by type (stated, with the unit each is counted in), the stated total and the sum
    of the lines; each line's share of the total."""
    f = figures(year, data_dir)
    ids = [i for i, e in f.catalog.items() if e.get("table") == "civil_registration" and i != REGISTRATION_TOTAL]
    rows = [{**r, "basis": "stated"} for r in _rows(f, ids)]
    stated_total = f.value(REGISTRATION_TOTAL)
    rows.append({"indicator_id": None, "name_vi": TEXT["registration_sum"]["vi"],
                 "name_en": TEXT["registration_sum"]["en"], "unit": "count",
                 "value": total(r["value"] for r in rows), "qualifier": None, "as_written": None, "basis": "computed"})
    rows.append({**_rows(f, [REGISTRATION_TOTAL])[0], "basis": "stated"})
    frame = pd.DataFrame.from_records(rows)
    frame["share"] = [rate(v, stated_total) for v in frame["value"]]
    return frame


def military(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Enlistment (enlisted / required) and age-17 registration (registered / liable, stated and computed rate)."""
    f = figures(year, data_dir)
    rows = [
        {**f.names("military.conscription.enlisted"), "value": f.value("military.conscription.enlisted"),
         "base": f.value("military.conscription.required"), "stated_rate": float("nan")},
        {**f.names("military.registration_age17.registered"),
         "value": f.value("military.registration_age17.registered"),
         "base": f.value("military.registration_age17.liable"),
         "stated_rate": f.value("military.registration_age17.rate")},
    ]
    frame = pd.DataFrame.from_records(rows)
    frame["rate"] = [rate(v, b) for v, b in zip(frame["value"], frame["base"])]
    return frame


def callup(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The next call-up: each stage with the stage it is measured against (its base)."""
    f = figures(year, data_dir)
    stages = [("source", "source"), ("eligible_for_prescreening", "source"),
              ("prescreened", "eligible_for_prescreening"), ("deferred_exempt", "source"),
              ("not_prescreened", "eligible_for_prescreening")]
    rows = []
    for stage, base in stages:
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
    for whole, parts in (("source", ["deferred_exempt", "eligible_for_prescreening"]),
                         ("eligible_for_prescreening", ["prescreened", "not_prescreened"])):
        values = [frame[p] for p in parts]
        rows.append({"total": whole, "parts": parts, "total_value": frame[whole], "parts_values": values,
                     "status": check(frame[whole], values)})
    return pd.DataFrame.from_records(rows)


def intake_year(year: int | None = None, data_dir: str | os.PathLike | None = None) -> int | None:
    f = figures(year, data_dir)
    intake = parse_dimensions(f.catalog.get(f"{CALLUP}.source", {}).get("dimensions")).get("intake")
    return int(intake) if intake and intake.isdigit() else None


def military_targets(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Targets of the military domain for the next year."""
    f = figures(year, data_dir)
    rows = []
    for iid, entry in f.catalog.items():
        row = f.row(iid, f.year + 1, "target")
        if entry.get("domain") in ("military", "public_order", "justice") and row is not None:
            rows.append({**f.names(iid), "value": float(row["value"]), "unit": row["unit"],
                         "qualifier": clean(row["qualifier"]), "quote": row["quote"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "value", "unit", "qualifier",
                                                    "quote"])


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return _common.actuals(year, data_dir, ("public_order", "justice", "civil_registration", "violations", "military"))


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))


# ----------------------------------------------------------------------------------------------- text
def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def cases_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    b = case_balance(year, data_dir)
    if any(missing(v) for v in b.values()):
        return _t("cases_note_missing", lang)
    if b["unaccounted"] == 0:
        return _t("cases_note_ok", lang, accounted=number(b["accounted"], lang), received=number(b["received"], lang))
    frame = cases(year, data_dir)
    items = [_t("unaccounted_item", lang, count=number(r["unaccounted"], lang), name=r[f"name_{lang}"].lower())
             for r in frame.to_dict("records") if not missing(r["unaccounted"]) and r["unaccounted"] != 0]
    return _t("cases_note", lang, **{k: number(v, lang) for k, v in b.items()},
              types=", ".join(items) or t("not_reported", lang))


def petitions_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    f = figures(year, data_dir)
    received, resolved, transferred = (f.value(i) for i in PETITIONS)
    status = check(received, [resolved, transferred])
    verdict = {"holds": "verdict_equal", "fails": "verdict_differ", "unknown": "verdict_missing"}[status]
    return _t("petitions_note", lang, received=number(received, lang), resolved=number(resolved, lang),
              transferred=number(transferred, lang), sum=number(total([resolved, transferred]), lang),
              verdict=_t(verdict, lang))


def registration_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    frame = civil_registration(year, data_dir)
    lines = frame[frame["basis"] == "stated"]
    stated_total = lines.loc[lines["indicator_id"] == REGISTRATION_TOTAL, "value"].iloc[0]
    status = check(stated_total, lines.loc[lines["indicator_id"] != REGISTRATION_TOTAL, "value"])
    verdict = {"holds": "verdict_total_equal", "fails": "verdict_total_differ", "unknown": "verdict_missing"}[status]
    summed = frame.loc[frame["basis"] == "computed", "value"].iloc[0]
    text = _t("registration_note", lang, sum=number(summed, lang), verdict=_t(verdict, lang),
              total=number(stated_total, lang))
    parts = lines[lines["indicator_id"] != REGISTRATION_TOTAL]
    if parts["unit"].nunique() > 1:  # the lines mix units: say which is which
        for unit, group in parts.groupby("unit", sort=False):
            text += " " + _t("registration_units", lang, unit=units.label(unit, lang),
                             names=", ".join(n[:1].lower() + n[1:] for n in group[f"name_{lang}"]))
    return text


def military_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    m = military(year, data_dir).to_dict("records")
    return _t("military_note", lang, enlisted=number(m[0]["value"], lang), required=number(m[0]["base"], lang),
              registered=number(m[1]["value"], lang), liable=number(m[1]["base"], lang),
              rate_computed=format_value(m[1]["rate"], "percent", lang, 1),
              rate_stated=format_value(m[1]["stated_rate"], "percent", lang))


def callup_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    items = []
    for r in callup_checks(year, data_dir).to_dict("records"):
        items.append(_t("callup_check_item", lang, total=number(r["total_value"], lang),
                        parts=" + ".join(number(v, lang) for v in r["parts_values"]), verdict=_t(r["status"], lang)))
    text = _t("callup_checks", lang, checks="; ".join(items))
    targets = military_targets(year, data_dir)
    if len(targets):
        text += " " + _t("military_targets", lang, year=figures(year, data_dir).year + 1, items="; ".join(
            f"{r[f'name_{lang}']} {format_value(r['value'], r['unit'], lang, qualifier=r['qualifier'])}"
            for r in targets.to_dict("records")))
    return text


def summary_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """One sentence with the headline numbers."""
    f = figures(year, data_dir)
    b = case_balance(year, data_dir)
    m = military(year, data_dir).iloc[0]
    return _t("summary", lang, year=f.year, received=number(b["received"], lang), handled=number(b["handled"], lang),
              reported=number(b["reported"], lang), unaccounted=number(b["unaccounted"], lang),
              petitions=number(f.value(PETITIONS[0]), lang), resolved=number(f.value(PETITIONS[1]), lang),
              procedures=number(f.value(REGISTRATION_TOTAL), lang),
              decisions=number(f.value("justice.violations.decisions"), lang),
              fines=format_value(f.value("justice.violations.fines_paid"), "VND", lang),
              enlisted=number(m["value"], lang), required=number(m["base"], lang))


# ----------------------------------------------------------------------------------------------- display
def heading(key: str, lang: str, level: int = 2, **values) -> str:
    """A section heading (the text of `key` in the reader's language), displayed and returned."""
    return present_heading(_t(key, lang, **values), level)


def _listed_count(lang, listed_key: str):
    """A count cell, or "none listed" where the row's `listed_key` is False (the report lists no such case)."""
    count = cell(lang, "count")
    return lambda value, row: _t("none_listed", lang) if row.get(listed_key) is False else count(value, row)


def columns(ctx, which: str) -> list:
    """Column specifications for `present.show_table` for each table of this report."""
    lang = ctx.lang
    name = (f"name_{lang}", t("indicator", lang), None)
    count = cell(lang, "count")
    if which == "cases":
        return [(f"name_{lang}", _t("col_case_type", lang), None),
                ("received", _t("col_received", lang), _listed_count(lang, "received_listed")),
                ("handled_by_town_police", _t("col_handled", lang),
                 _listed_count(lang, "handled_by_town_police_listed")),
                ("reported_to_district", _t("col_reported", lang),
                 _listed_count(lang, "reported_to_district_listed")),
                ("accounted", _t("col_accounted", lang), count),
                ("unaccounted", _t("col_unaccounted", lang), count)]
    if which == "case_totals":
        return [name, ("stated", _t("col_stated_total", lang), count), ("sum", _t("col_sum", lang), count),
                ("difference", _t("col_difference", lang), cell(lang, "count", signed=True))]
    if which in ("other_order", "petitions"):
        return [name, ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
                ("as_written", t("as_written", lang), lambda v, r: v if isinstance(v, str) else "")]
    if which == "registration":
        return [name, ("value", _t("col_count", lang), count),
                ("unit", _t("col_unit", lang), lambda v, r: units.label(v, lang) if isinstance(v, str) else ""),
                ("share", _t("col_share", lang), cell(lang, "percent", decimals=1))]
    if which == "military":
        return [name, ("value", _t("col_count", lang), count), ("base", _t("col_base", lang), count),
                ("rate", _t("col_rate", lang), cell(lang, "percent", decimals=1)),
                ("stated_rate", _t("col_stated_rate", lang), cell(lang, "percent"))]
    if which == "callup":
        return [(f"name_{lang}", _t("col_stage", lang), None), ("value", _t("col_count", lang), count),
                ("base", _t("col_base", lang), count),
                ("rate", _t("col_rate", lang), cell(lang, "percent", decimals=1))]
    if which == "compare":
        return compare_columns(ctx)
    raise ValueError(f"unknown table {which!r}")


# ----------------------------------------------------------------------------------------------- charts
def cases_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    """Cases by type: received, dealt with, reported; a handling the report does not list is labelled so."""
    frame = cases(year, data_dir)
    names = [_t(k, lang) for k in ("col_received", "col_handled", "col_reported")]
    series = {n: list(frame[h]) for n, h in zip(names, HANDLINGS)}
    fig = charts.grouped_bar_chart(list(frame[f"name_{lang}"]), series, "count", lang,
                                   _t("cases_title", lang, year=resolve_year(year, data_dir)), _t("cases_axis", lang))
    listed = [flag for h in HANDLINGS for flag in frame[f"{h}_listed"]]
    for text, flag in zip(fig.axes[0].texts, listed):
        if not flag:
            text.set_text(_t("none_listed", lang))
    return fig


def registration_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = civil_registration(year, data_dir)
    frame = frame[(frame["basis"] == "stated") & (frame["indicator_id"] != REGISTRATION_TOTAL)]
    frame = frame.sort_values("value", ascending=False, na_position="last")
    return charts.bar_chart(list(frame[f"name_{lang}"]), list(frame["value"]), "count", lang,
                            _t("registration_title", lang, year=resolve_year(year, data_dir)),
                            _t("registration_axis", lang))


def callup_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = callup(year, data_dir)
    frame = frame[frame["funnel"]]
    return charts.funnel_chart(list(frame[f"name_{lang}"]), list(frame["value"]), list(frame["base"]), lang,
                               _t("callup_title", lang, intake=intake_year(year, data_dir) or ""))
