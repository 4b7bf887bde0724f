"""Public order and justice, as readers see it: the words (messages/reports/public_order.toml), tables and charts
of the frames `camgiang_data.analyses.public_order` computes. Each section function shows its headings, tables,
notes and charts on a `Report` and returns nothing; the `*_text`/`*_note`, `*_table` and `*_chart` functions give
the pieces, for tests and for other pages. Sentences about the unit's police take the unit's word
(`Report.unit_word`: thị trấn / xã, town / commune).
"""

from __future__ import annotations

import pandas as pd

from camgiang_data import units
from camgiang_data.analyses.public_order import (DECISIONS, ENLISTED, FINES, HANDLINGS, PETITIONS, REGISTRATION_TOTAL,
                                                 CaseBalance)
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, compare_columns, name_col, number

NAME = "public_order"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/public_order.toml
TITLE = TEXT["title"]
VERDICTS = {"holds": "verdict_equal", "fails": "verdict_differ", "unknown": "verdict_missing"}
TOTAL_VERDICTS = {"holds": "verdict_total_equal", "fails": "verdict_total_differ", "unknown": "verdict_missing"}


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _values(frame: pd.DataFrame) -> dict:
    """{indicator_id: value} of a frame's stated rows."""
    return {i: v for i, v in zip(frame["indicator_id"], frame["value"]) if isinstance(i, str)}


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _label(row: dict, lang: str) -> str:
    """A row's name: the catalogue's, or this report's word for a row the analyses computed (`key`)."""
    return _t(row["key"], lang) if isinstance(row.get("key"), str) else row[name_col(lang)]


def _labelled(frame: pd.DataFrame, lang: str) -> list[dict]:
    return [{**r, "label": _label(r, lang)} for r in frame.to_dict("records")]


def _missing_names(rows, lang: str) -> str:
    """The names of the rows without a value, for a sentence that says what is missing."""
    return ", ".join(_lower(_label(r, lang)) for r in rows if is_missing(r["value"]))


# ---------------------------------------------------------------------------------------------------- text

def summary_text(b: CaseBalance, other: pd.DataFrame, petitions: pd.DataFrame, registration: pd.DataFrame,
                 military: pd.DataFrame, lang: str, unit: str) -> str:
    """One sentence with the headline numbers (for the index page); where a figure is missing, the figures listed
    by name, each with its value or "not reported"."""
    o, p, r = _values(other), _values(petitions), _values(registration)
    enlisted = military[military["indicator_id"] == ENLISTED].iloc[0]
    counts = {"received": b.received, "handled": b.handled, "reported": b.reported, "unaccounted": b.unaccounted,
              "petitions": p.get(PETITIONS[0]), "resolved": p.get(PETITIONS[1]),
              "procedures": r.get(REGISTRATION_TOTAL), "decisions": o.get(DECISIONS),
              "enlisted": enlisted["value"], "required": enlisted["base"]}
    fines = format_value(o.get(FINES), "VND", lang)
    # "dealt with (computed)" where the count is the sum of the case types (2021: the report states no total)
    computed = "handled" in b.summed
    if any(is_missing(v) for v in [*counts.values(), o.get(FINES)]):
        labels = {k: f"sum_{k}" for k in counts} | ({} if computed else {"handled": "sum_handled_stated"})
        items = [f"{_t(labels[k], lang, unit=unit)}: {number(v, lang)}" for k, v in counts.items()]
        items.append(f"{_t('sum_fines', lang)}: {fines}")
        return _t("summary_partial", lang, year=b.year, figures="; ".join(items))
    return _t("summary" if computed else "summary_handled_stated", lang, year=b.year, unit=unit, fines=fines,
              **{k: number(v, lang) for k, v in counts.items()})


def cases_note(b: CaseBalance, frame: pd.DataFrame, lang: str, unit: str) -> str:
    """Where the cases received went, and which case types hold the cases accounted for nowhere."""
    if not b.complete:
        return _t("cases_note_missing", lang)
    if b.unaccounted == 0:
        return _t("cases_note_ok", lang, accounted=number(b.accounted, lang), received=number(b.received, lang))
    items = [_t("unaccounted_item", lang, count=number(r["unaccounted"], lang), name=r[name_col(lang)].lower())
             for r in frame.to_dict("records") if not is_missing(r["unaccounted"]) and r["unaccounted"] != 0]
    counts = {k: number(getattr(b, k), lang) for k in ("received", "handled", "reported", "accounted", "unaccounted")}
    return _t("cases_note", lang, unit=unit, types=", ".join(items) or _t("unaccounted_untyped", lang), **counts)


def _computed(frame: pd.DataFrame, key: str) -> dict:
    """The row the analyses computed under `key` (a sum, with its check against the stated total)."""
    return frame[frame["key"] == key].iloc[0].to_dict()


def petitions_note(frame: pd.DataFrame, lang: str) -> str:
    """Received against resolved + transferred; what is missing when the check cannot be made."""
    rows = [r for r in frame.to_dict("records") if r["indicator_id"] in PETITIONS]
    check = _computed(frame, "petitions_check")
    if check["check"] == "unknown":
        return _t("petitions_note_missing", lang, missing=_missing_names(rows, lang))
    received, resolved, transferred = (number(r["value"], lang) for r in rows)
    return _t("petitions_note", lang, received=received, resolved=resolved, transferred=transferred,
              sum=number(check["value"], lang), verdict=_t(VERDICTS[check["check"]], lang))


def registration_note(frame: pd.DataFrame, lang: str) -> str:
    """The lines' sum against the stated total, and which lines are counted in which unit when they mix units."""
    parts = frame[(frame["basis"] == "stated") & (frame["indicator_id"] != REGISTRATION_TOTAL)]
    summed = _computed(frame, "registration_sum")
    if summed["check"] == "unknown":
        stated = frame[frame["basis"] == "stated"].to_dict("records")
        text = _t("registration_note_missing", lang, missing=_missing_names(stated, lang))
    else:
        text = _t("registration_note", lang, sum=number(summed["value"], lang),
                  verdict=_t(TOTAL_VERDICTS[summed["check"]], lang),
                  total=number(_values(frame)[REGISTRATION_TOTAL], lang))
    if parts["unit"].nunique() > 1:  # the lines mix units: say which is which
        for unit, group in parts.groupby("unit", sort=False):
            text += " " + _t("registration_units", lang, unit=units.label(unit, lang),
                             names=", ".join(_lower(n) for n in group[name_col(lang)]))
    return text


def military_note(frame: pd.DataFrame, lang: str) -> str:
    """Enlisted of required, age-17 registered of liable (computed rate, and the stated one where stated)."""
    enlist, age17 = frame.to_dict("records")
    counts = (enlist["value"], enlist["base"], age17["value"], age17["base"])
    if any(is_missing(v) for v in counts):
        names = [_lower(r[f"{prefix}{name_col(lang)}"]) for r in (enlist, age17) for prefix, key in
                 (("", "value"), ("base_", "base")) if is_missing(r[key])]
        return _t("military_note_missing", lang, missing=", ".join(names))
    key = "military_note_unstated" if is_missing(age17["stated_rate"]) else "military_note"
    return _t(key, lang, enlisted=number(counts[0], lang), required=number(counts[1], lang),
              registered=number(counts[2], lang), liable=number(counts[3], lang),
              rate_computed=format_value(age17["rate"], "percent", lang, 1),
              rate_stated=format_value(age17["stated_rate"], "percent", lang))


def callup_note(frame: pd.DataFrame, checks: pd.DataFrame, targets: pd.DataFrame, lang: str) -> str:
    """The call-up's two sums (numbers, or the stages' names where a number is missing) and next year's targets."""
    names = dict(zip(frame["stage"], frame[name_col(lang)]))
    items = []
    for r in checks.to_dict("records"):
        if r["status"] == "unknown":
            whole, parts = _lower(names[r["total"]]), " + ".join(_lower(names[p]) for p in r["parts"])
        else:
            whole, parts = number(r["total_value"], lang), " + ".join(number(v, lang) for v in r["parts_values"])
        items.append(_t("callup_check_item", lang, total=whole, parts=parts, verdict=_t(r["status"], lang)))
    text = _t("callup_checks", lang, checks="; ".join(items))
    if len(targets):
        text += " " + _t("military_targets", lang, year=int(targets["year"].iloc[0]), items="; ".join(
            f"{r[name_col(lang)]} {format_value(r['value'], r['unit'], lang, qualifier=r['qualifier'])}"
            for r in targets.to_dict("records")))
    return text


# ---------------------------------------------------------------------------------------------------- tables

def _listed_count(lang, listed_key: str):
    """A count cell, or "none listed" where the row's `listed_key` is False (the report lists no such case)."""
    count = cell(lang, "count")
    return lambda value, row: _t("none_listed", lang) if row.get(listed_key) is False else count(value, row)


def cases_table(frame: pd.DataFrame, lang: str, unit: str):
    """(rows, columns) for `Report.table`: each case type, its handlings ("none listed" where the report lists
    none), the cases accounted for and those unaccounted for."""
    count = cell(lang, "count")
    headers = {"received": _t("col_received", lang), "handled_by_town_police": _t("col_handled", lang, unit=unit),
               "reported_to_district": _t("col_reported", lang)}
    return frame.to_dict("records"), [
        (name_col(lang), _t("col_case_type", lang), None),
        *[(h, headers[h], _listed_count(lang, f"{h}_listed")) for h in HANDLINGS],
        ("accounted", _t("col_accounted", lang), count), ("unaccounted", _t("col_unaccounted", lang), count)]


def totals_table(frame: pd.DataFrame, lang: str, unit: str):
    """Each handling: the total as stated, the sum of the types, the difference."""
    rows = [{**r, "label": _t(f"totals.{r['handling']}", lang, unit=unit)} for r in frame.to_dict("records")]
    count = cell(lang, "count")
    return rows, [("label", t("indicator", lang), None), ("stated", _t("col_stated_total", lang), count),
                  ("sum", _t("col_sum", lang), count),
                  ("difference", _t("col_difference", lang), cell(lang, "count", signed=True))]


def figures_table(frame: pd.DataFrame, lang: str):
    """Figures with their value (and qualifier) and the figure as the report writes it (other order, petitions)."""
    return _labelled(frame, lang), [
        ("label", t("indicator", lang), None), ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
        ("as_written", t("as_written", lang), lambda v, r: v if isinstance(v, str) else "")]


def registration_table(frame: pd.DataFrame, lang: str):
    count = cell(lang, "count")
    return _labelled(frame, lang), [
        ("label", t("indicator", lang), None), ("value", _t("col_count", lang), count),
        ("unit", _t("col_unit", lang), lambda v, r: units.label(v, lang) if isinstance(v, str) else ""),
        ("share", _t("col_share", lang), cell(lang, "percent", decimals=1))]


def military_table(frame: pd.DataFrame, lang: str):
    count = cell(lang, "count")
    return frame.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None), ("value", _t("col_count", lang), count),
        ("base", _t("col_base", lang), count), ("rate", _t("col_rate", lang), cell(lang, "percent", decimals=1)),
        ("stated_rate", _t("col_stated_rate", lang), cell(lang, "percent"))]


def callup_table(frame: pd.DataFrame, lang: str):
    count = cell(lang, "count")
    return frame.to_dict("records"), [
        (name_col(lang), _t("col_stage", lang), None), ("value", _t("col_count", lang), count),
        ("base", _t("col_base", lang), count), ("rate", _t("col_rate", lang), cell(lang, "percent", decimals=1))]


# ---------------------------------------------------------------------------------------------------- charts

def cases_chart(frame: pd.DataFrame, year: int, lang: str, unit: str) -> Chart:
    """Cases by type: received, dealt with, reported; a handling the report does not list is labelled so (and the
    caption says what that label means)."""
    names = [_t(k, lang, unit=unit) for k in ("col_received", "col_handled", "col_reported")]
    series = {n: list(frame[h]) for n, h in zip(names, HANDLINGS)}
    fig = charts.grouped_bar_chart(list(frame[name_col(lang)]), series, "count", lang,
                                   _t("cases_title", lang, year=year), _t("cases_axis", lang))
    listed = [flag for h in HANDLINGS for flag in frame[f"{h}_listed"]]
    for text, flag in zip(fig.axes[0].texts, listed):
        if not flag:
            text.set_text(_t("none_listed", lang))
    caption = None if all(listed) else _t("cases_caption", lang)
    return Chart(fig, _t("cases_alt", lang, unit=unit), caption)


def registration_chart(frame: pd.DataFrame, year: int, lang: str) -> Chart:
    lines = frame[(frame["basis"] == "stated") & (frame["indicator_id"] != REGISTRATION_TOTAL)]
    lines = lines.sort_values("value", ascending=False, na_position="last")
    fig = charts.bar_chart(list(lines[name_col(lang)]), list(lines["value"]), "count", lang,
                           _t("registration_title", lang, year=year), _t("registration_axis", lang))
    return Chart(fig, _t("registration_alt", lang))


def callup_chart(frame: pd.DataFrame, intake: int | None, lang: str) -> Chart:
    stages = frame[frame["funnel"]]
    title = _t("callup_title_missing", lang) if intake is None else _t("callup_title", lang, intake=intake)
    fig = charts.funnel_chart(list(stages[name_col(lang)]), list(stages["value"]), list(stages["base"]), lang, title)
    return Chart(fig, _t("callup_alt", lang), _t("callup_caption", lang))


# ------------------------------------------------------------------------------------------- the sections

def cases_section(report, frame: pd.DataFrame, b: CaseBalance) -> None:
    """Cases by type and handling: heading, table, where the cases went, grouped bars."""
    lang, unit = report.lang, report.unit_word
    report.heading("h_cases", unit=unit)
    report.table(*cases_table(frame, lang, unit))
    report.note(cases_note(b, frame, lang, unit))
    report.chart(cases_chart(frame, report.year, lang, unit))


def totals_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_cases_totals", level=3)
    report.table(*totals_table(frame, report.lang, report.unit_word))


def other_order_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_other_order", level=3)
    report.table(*figures_table(frame, report.lang))


def petitions_section(report, frame: pd.DataFrame) -> None:
    """The justice part opens here: its heading, then petitions and citizen reception with their check."""
    report.heading("h_justice")
    report.heading("h_petitions", level=3)
    report.table(*figures_table(frame, report.lang))
    report.note(petitions_note(frame, report.lang))


def registration_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_registration", level=3)
    report.table(*registration_table(frame, report.lang))
    report.note(registration_note(frame, report.lang))
    report.chart(registration_chart(frame, report.year, report.lang))


def military_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_military")
    report.table(*military_table(frame, report.lang))
    report.note(military_note(frame, report.lang))


def callup_section(report, frame: pd.DataFrame, checks: pd.DataFrame, targets: pd.DataFrame,
                   intake: int | None) -> None:
    """The next call-up: heading (with its year), the stages, the checks and targets, the funnel."""
    if intake is None:
        report.heading("h_callup_missing", level=3)
    else:
        report.heading("h_callup", level=3, intake=intake)
    report.table(*callup_table(frame, report.lang))
    report.note(callup_note(frame, checks, targets, report.lang))
    report.chart(callup_chart(frame, intake, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """Every public-order, justice and military figure against another year (`frame` is None when the data
    holds no earlier year)."""
    report.comparison(frame, lambda f: (f.to_dict("records"), compare_columns(report)))
