"""Data quality audit, as readers see it: the words (messages/reports/audit.toml) and tables of the frames
`camgiang_data.analyses.audit` computes. Each section function shows its heading, notes and table on a `Report`
and returns nothing; the `*_text` and `*_table` functions give the pieces, for tests and for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses._common import change_unit, clean
from camgiang_data.derive import FORMULAS
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import name_col

NAME = "audit"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/audit.toml
TITLE = TEXT["title"]


# ------------------------------------------------------------------------------------------------------ text

def intro(year: int, lang: str) -> str:
    return t("intro", lang, TEXT, year=year)


def summary_text(c: dict[str, int], year: int, lang: str) -> str:
    """One sentence with the headline numbers (for the index page), from the `counts`."""
    n = {k: format_value(v, "count", lang, with_unit=False) for k, v in c.items()}
    return t("summary", lang, TEXT, year=year, stated=n["stated figures"], derived=n["derived figures"],
             indicators=n["indicators"], rules=n["rules"], errors=n["errors"], findings=n["findings"])


def errors_text(frame: pd.DataFrame, lang: str) -> str:
    return t("errors_none", lang, TEXT) if frame.empty else t("errors_some", lang, TEXT, n=len(frame))


# ---------------------------------------------------------------------------------------------------- tables

def counts_table(c: dict[str, int], lang: str):
    """(rows, columns) for `Report.table`."""
    rows = [{"label": t(f"c_{k}", lang, TEXT), "value": v} for k, v in c.items()]
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_count", lang, TEXT), lambda v, r: format_value(v, "count", lang))]


def errors_table(frame: pd.DataFrame, lang: str):
    rows = [{k: ("" if clean(v) is None else str(v)) for k, v in r.items()} for r in frame.to_dict("records")]
    return rows, [(k, t(f"col_{k}", lang, TEXT), None) for k in ("check", "file", "row", "column", "expected",
                                                                  "found")]


def _decimals(value: float, most: int = 3) -> int:
    """The fewest decimals (up to `most`) that show `value` as it is to `most` decimals: 2.448084 → 3, 234.4 → 1."""
    target = round(float(value), most)
    return next(d for d in range(most + 1) if round(float(value), d) == target)


def _num(value, unit, lang, signed=False) -> str:
    """Money to the đồng; anything else to as many decimals as it has, up to 3 (so 2,448 % is not shown as 2,45 %)."""
    if is_missing(value):
        return t("not_reported", lang)
    decimals = 0 if unit in ("VND", "VND_per_person_year") else _decimals(value)
    return format_value(value, unit, lang, decimals, signed=signed)


def findings_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`: rule (and its type), what is checked, stated, what the figures
    give, difference, tolerance."""
    rows = []
    for r in frame.to_dict("records"):
        rows.append({**r, "rule_text": f"{r['rule_id']} ({_rule_type(r['rule_type'], lang)})",
                     "stated_text": _qualifier_text(r["stated_qualifier"], lang) + _num(r["stated"], r["unit"], lang),
                     "computed_text": _qualifier_text(r["computed_qualifier"], lang)
                     + _num(r["computed"], r["unit"], lang),
                     "difference_text": _num(r["difference"], change_unit(r["unit"]), lang, signed=True),
                     "tolerance_text": "±" + _num(r["tolerance"], change_unit(r["unit"]), lang)})
    return rows, [("number", t("col_no", lang, TEXT), lambda v, r: str(v)),
                  ("rule_text", t("col_rule", lang, TEXT), None),
                  ("description", t("col_description", lang, TEXT), None),
                  ("stated_text", t("col_stated", lang, TEXT), None),
                  ("computed_text", t("col_computed", lang, TEXT), None),
                  ("difference_text", t("col_difference", lang, TEXT), None),
                  ("tolerance_text", t("col_tolerance", lang, TEXT), None)]


def _qualifier_text(qualifier, lang: str) -> str:
    return f"{t(qualifier, lang)} " if isinstance(qualifier, str) and qualifier else ""


def sentences_table(frame: pd.DataFrame, lang: str):
    """One row per finding, its sentences side by side (empty cells where a finding has fewer)."""
    width = max([len(s) for s in frame["sentences"]] + [1]) if len(frame) else 1
    rows = []
    for r in frame.to_dict("records"):
        row = {"number": r["number"], "rule_id": r["rule_id"]}
        for i in range(width):
            row[f"s{i}"] = t("sentence", lang, TEXT, quote=r["sentences"][i][0], section=r["sentences"][i][1]) \
                if i < len(r["sentences"]) else ""
        rows.append(row)
    return rows, [("number", t("col_no", lang, TEXT), lambda v, r: str(v)),
                  ("rule_id", t("col_rule", lang, TEXT), None)] + \
        [(f"s{i}", t("col_sentence", lang, TEXT, n=i + 1), None) for i in range(width)]


def _rule_type(rule_type: str, lang: str) -> str:
    try:
        return t(f"rt_{rule_type}", lang, TEXT)
    except KeyError:
        return str(rule_type)


def formula_text(name: str, lang: str) -> str:
    """The formula in words, in `lang` (the package's English text for a formula this module does not know)."""
    try:
        return t(f"f_{name}", lang, TEXT)
    except KeyError:
        return FORMULAS[name].text if name in FORMULAS else str(name)


def kind_text(kind: str, lang: str) -> str:
    try:
        return t(f"k_{kind}", lang, TEXT)
    except KeyError:
        return str(kind)


def inputs_text(row: dict, lang: str) -> str:
    parts = []
    for item in row["inputs"]:
        label = f"{kind_text(item['kind'], lang)} {item['year']}"
        if item["indicator_id"] != row["indicator_id"]:
            label = f"{item['indicator_id']} {label}"
        parts.append(f"{label}: {_num(item['value'], item['unit'], lang, signed=item['kind'] == 'change')}")
    return "; ".join(parts)


def derived_table(frame: pd.DataFrame, lang: str):
    rows = []
    for r in frame.to_dict("records"):
        tol = r["tolerance"]
        value = _num(r["value"], r["unit"], lang)
        if tol:
            value += f" (±{_num(tol, change_unit(r['unit']), lang)})"
        rows.append({"label": r[name_col(lang)], "year": str(r["year"]), "kind": kind_text(r["kind"], lang),
                     "formula": f"{formula_text(r['formula'], lang)} [{r['formula']}]",
                     "inputs": inputs_text(r, lang), "value_text": value,
                     "quote": t("sentence", lang, TEXT, quote=r["quote"], section=r["section"])})
    return rows, [("label", t("col_indicator", lang, TEXT), None), ("year", t("col_year", lang, TEXT), None),
                  ("kind", t("col_kind", lang, TEXT), None), ("formula", t("col_formula", lang, TEXT), None),
                  ("inputs", t("col_inputs", lang, TEXT), None), ("value_text", t("col_value", lang, TEXT), None),
                  ("quote", t("col_quote", lang, TEXT), None)]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": t(f"c_{r['key']}", lang, TEXT)} for r in frame.to_dict("records")]
    fmt = lambda signed: (lambda v, r: format_value(v, "count", lang, signed=signed))  # noqa: E731
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), fmt(False)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), fmt(False)),
                  ("change", t("col_change", lang, TEXT), fmt(True))]


# ------------------------------------------------------------------------------------------- the sections

def counts_section(report, c: dict[str, int]) -> None:
    report.heading("h_counts")
    report.table(*counts_table(c, report.lang))


def errors_section(report, errors: pd.DataFrame) -> None:
    """The data errors: a sentence, and the table of them where there are any."""
    report.heading("h_errors")
    report.note(errors_text(errors, report.lang))
    if len(errors):
        report.table(*errors_table(errors, report.lang))


def findings_section(report, findings: pd.DataFrame) -> None:
    """The findings about the report: how to read them and their table (a sentence where there are none)."""
    report.heading("h_findings")
    report.note(report.t("findings_note" if len(findings) else "findings_none"))
    if len(findings):
        report.table(*findings_table(findings, report.lang))


def sentences_section(report, findings: pd.DataFrame) -> None:
    report.heading("h_sentences")
    if len(findings):
        report.table(*sentences_table(findings, report.lang))


def derived_section(report, derived: pd.DataFrame) -> None:
    """The derived figures: what they are and their table (a sentence where there are none)."""
    report.heading("h_derived")
    report.note(report.t("derived_note" if len(derived) else "derived_none"))
    if len(derived):
        report.table(*derived_table(derived, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The counts against the comparison year's (`frame` is None when no comparison year is given)."""
    report.comparison(frame, lambda f: compare_table(f, report.lang))
