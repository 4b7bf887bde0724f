"""Economy and agriculture, as readers see it: the words (messages/reports/economy.toml), tables and charts of the
frames `camgiang_data.analyses.economy` computes. Each section function shows its heading, tables, notes and
charts on a `Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for
tests and for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses._common import clean, missing
from camgiang_data.analyses.economy import (FALLOW_ID, HEADLINE_IDS, SOWN_TOTAL_ID, attainment_bars,
                                            differing_statements, prior_values, shares_sum, sown_total_reading)
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, compare_columns, name_col

NAME = "economy"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/economy.toml
TITLE = TEXT["title"]
# the bars of the previous-year chart that `prior_alt` names (the 2021 report's two derived areas)
PRIOR_ALT_IDS = ["agriculture.fish_farming_area", FALLOW_ID]


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _pct(value, lang: str, decimals: int | None = None) -> str:
    return format_value(value, "percent", lang, decimals)


def _area(value, lang: str) -> str:
    return format_value(value, "ha", lang)


def headline_value(row: dict, key: str, lang: str) -> str:
    """A headline figure (`actual`, `target`, …) with its qualifier; money in short form (`trên 515,74 tỷ đồng`:
    the one place a qualifier goes before a short amount, which `format_money_short` does not take)."""
    unit, qualifier = row["unit"], clean(row.get(f"{key}_qualifier"))
    if unit != "VND":
        return format_value(row[key], unit, lang, qualifier=qualifier)
    text = format_money_short(row[key], lang)
    return f"{t(qualifier, lang)} {text}" if qualifier and not missing(row[key]) else text


# ----------------------------------------------------------------------------------------------- text
def summary_text(frame: pd.DataFrame, lang: str) -> str:
    """One sentence with the headline numbers of a `targets` frame (for the index page)."""
    rows = {r["indicator_id"]: r for r in frame.to_dict("records")}
    g, i, p = (rows[k] for k in HEADLINE_IDS)
    values = dict(year=int(p["year"]), growth=headline_value(g, "actual", lang),
                  growth_target=headline_value(g, "target", lang), income=headline_value(i, "actual", lang),
                  income_target=headline_value(i, "target", lang), production=headline_value(p, "actual", lang),
                  production_target=headline_value(p, "target", lang),
                  production_pct=_pct(p["attainment"], lang, 1), production_stated=_pct(p["stated_attainment"], lang))
    if not missing(p["attainment"]) and not missing(p["stated_attainment"]):
        return _t("summary", lang, **values)
    return _t("summary_missing", lang, **values, production_clause=_t(_production_clause(p), lang, **values))


def _production_clause(row: dict) -> str:
    """The production-value clause for the figures there are: computed attainment, stated one, or neither."""
    if not missing(row["attainment"]):
        return "summary_production_computed"
    return "summary_production_stated" if not missing(row["stated_attainment"]) else "summary_production_plain"


def production_text(frame: pd.DataFrame, lang: str) -> str:
    """The stated attainment of the production value next to the one its own figures give."""
    row = frame.set_index("indicator_id").loc["economy.production_value"]
    if row["attainment_agrees"] is None:
        return _t("production_note_missing", lang)
    values = dict(actual=format_money_short(row["actual"], lang), target=format_money_short(row["target"], lang),
                  computed=_pct(row["attainment"], lang, 1), stated=_pct(row["stated_attainment"], lang),
                  implied=format_money_short(row["implied_plan"], lang))
    return _t("production_note_agree" if row["attainment_agrees"] else "production_note", lang, **values)


def statements_text(frame: pd.DataFrame, lang: str) -> str:
    """Which repeated figures of a `statements` frame are stated differently, naming every wording."""
    if frame.empty:
        return _t("statements_none", lang)
    sentences = []
    for group in differing_statements(frame):
        values = "; ".join(format_value(v, u, lang, qualifier=q) for v, u, q in
                           zip(group["value"], group["unit"], group["qualifier"]))
        sentences.append(_t("statements_differ", lang, name=group[name_col(lang)].iloc[0], count=len(group),
                            values=values))
    return " ".join(sentences or [_t("statements_agree", lang)]) + " " + _t("statements_intro", lang)


def structure_total_text(frame: pd.DataFrame, lang: str) -> str:
    total = shares_sum(frame)
    if missing(total):
        return _t("structure_total_missing", lang)
    return _t("structure_total", lang, total=_pct(total, lang))


def sown_text(frame: pd.DataFrame, lang: str) -> str:
    """What the sown-area figures show: which sum of the parts the stated total is."""
    reading = sown_total_reading(frame)
    if reading is None:
        return _t("sown_note_missing", lang)
    rows = frame.set_index("key")["value"]
    values = {name: _area(rows[key], lang) for name, key in (
        ("total", SOWN_TOTAL_ID), ("veg", "agriculture.sown_area.vegetables"), ("rice", "agriculture.sown_area.rice"),
        ("parts", "sown_parts_sum"), ("fallow", FALLOW_ID), ("with_fallow", "sown_parts_fallow"))}
    values["gap"] = format_value(rows["sown_unexplained"], "ha", lang, signed=reading == "neither")
    key = {"parts_fallow": "sown_note", "parts": "sown_note_parts", "neither": "sown_note_neither"}[reading]
    return _t(key, lang, **values)


# ----------------------------------------------------------------------------------------------- tables
def _name(lang: str):
    return (name_col(lang), t("indicator", lang), None)


def _estimated_cell(lang: str, qualifier_key: str):
    """A value with its qualifier, and "(est.)" after it where the row's `estimated` marks it as an estimate."""
    plain = cell(lang, qualifier_key=qualifier_key)

    def fmt(value, row):
        text = plain(value, row)
        if row.get("estimated") is True and not missing(value):
            text += f" ({t('estimated', lang)})"
        return text
    return fmt


def _status(lang: str):
    return lambda value, row: t(value, lang) if isinstance(value, str) else t("not_reported", lang)


def targets_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`: result, target, gap, attainment computed and stated, status, next
    year's target."""
    year = int(frame["year"].iloc[0])
    return frame.to_dict("records"), [
        _name(lang),
        ("actual", _t("col_actual", lang, year=year), _estimated_cell(lang, "actual_qualifier")),
        ("target", _t("col_target", lang, year=year), cell(lang, qualifier_key="target_qualifier")),
        ("gap", _t("col_gap", lang), cell(lang, unit_key="gap_unit", signed=True)),
        ("attainment", _t("col_attainment", lang), cell(lang, unit="percent", decimals=1)),
        ("stated_attainment", _t("col_stated_attainment", lang), cell(lang, unit="percent")),
        ("status", t("status", lang), _status(lang)),
        ("next_target", _t("col_next_target", lang, year=year + 1), cell(lang, qualifier_key="next_target_qualifier"))]


def statements_table(frame: pd.DataFrame, lang: str):
    return frame.to_dict("records"), [
        _name(lang), ("mention", _t("col_mention", lang), None),
        ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
        ("as_written", t("as_written", lang), None), ("section", _t("col_section", lang), None),
        ("quote", t("quote", lang), None)]


def structure_table(frame: pd.DataFrame, lang: str):
    return frame.to_dict("records"), [(f"label_{lang}", _t("col_sector", lang), None),
                                      ("share", t("share", lang), cell(lang, unit="percent"))]


def sown_label(row: dict, lang: str) -> str:
    """A sown-area row's name: the catalogue's, or the words of a computed sum."""
    return _t(row["key"], lang) if row["basis"] == "computed" else row[name_col(lang)]


def sown_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, name_col(lang): sown_label(r, lang)} for r in frame.to_dict("records")]
    return rows, [_name(lang), ("value", _t("col_area", lang), cell(lang)),
                  ("basis", _t("col_basis", lang), lambda v, r: _t(f"basis_{v}", lang) if isinstance(v, str) else "")]


def farming_table(frame: pd.DataFrame, lang: str):
    """(rows, columns): value, the stated change, the previous year's value derived from it and how."""
    year = int(frame["year"].iloc[0])

    def how(value, row):
        return _t(f"formula_{value}", lang, year=year, prior=year - 1) if isinstance(value, str) else ""

    return frame.to_dict("records"), [
        _name(lang), ("value", t("value", lang) + f" {year}", _estimated_cell(lang, "qualifier")),
        ("change", _t("col_change", lang, year=year - 1), cell(lang, unit_key="change_unit", signed=True)),
        ("prior", _t("col_prior", lang, year=year - 1), cell(lang)),
        ("prior_formula", _t("col_prior_basis", lang), how)]


def other_table(frame: pd.DataFrame, lang: str):
    return frame.to_dict("records"), [_name(lang), ("value", t("value", lang), cell(lang, qualifier_key="qualifier")),
                                      ("quote", t("quote", lang), None)]


def compare_table(frame: pd.DataFrame, ctx):
    """(rows, columns) of a `compare` frame; `ctx` gives the language and both years (a `Report` does)."""
    return frame.to_dict("records"), compare_columns(ctx)


# ----------------------------------------------------------------------------------------------- charts
def attainment_chart(frame: pd.DataFrame, lang: str) -> Chart:
    """Bars of the computed attainments of a `targets` frame, and of the stated ones beside them (orange)."""
    bars = attainment_bars(frame)
    labels = [_t(f"bar_{b}", lang, name=n) for b, n in zip(bars["basis"], bars[name_col(lang)])]
    stated = {i for i, b in enumerate(bars["basis"]) if b == "stated"}
    fig = charts.bar_chart(labels, list(bars["value"]), "percent", lang,
                           _t("attainment_title", lang, year=int(frame["year"].iloc[0])), _t("attainment_axis", lang),
                           decimals=1, highlight=stated)
    suffix = "" if stated else "_computed"  # no stated attainment: no orange bar to speak of
    return Chart(fig, _t("attainment_alt" + suffix, lang), _t("attainment_caption" + suffix, lang))


def structure_chart(frame: pd.DataFrame, lang: str) -> Chart:
    fig = charts.share_chart(list(frame[f"label_{lang}"]), list(frame["share"]), lang,
                             _t("structure_title", lang, year=int(frame["year"].iloc[0])))
    return Chart(fig, _t("structure_alt", lang))


def sown_chart(frame: pd.DataFrame, year: int, lang: str) -> Chart:
    """Bars of the sown-area lines, the sums of the parts (orange) and the stated total."""
    frame = frame[frame["key"] != "sown_unexplained"].reset_index(drop=True)
    computed = {i for i, b in enumerate(frame["basis"]) if b == "computed"}
    fig = charts.bar_chart([sown_label(r, lang) for r in frame.to_dict("records")], list(frame["value"]), "ha",
                           lang, _t("sown_caption", lang, year=year), _t("sown_axis", lang), highlight=computed)
    return Chart(fig, _t("sown_alt", lang))


def prior_chart(frame: pd.DataFrame, lang: str) -> Chart | None:
    """Previous-year (derived) and this year's values of the farming figures measured in ha (None: none has a
    previous-year value)."""
    year = int(frame["year"].iloc[0])
    rows = prior_values(frame, "ha")
    if rows.empty:
        return None
    names = list(rows[name_col(lang)])
    items = "; ".join(n[:1].lower() + n[1:] for n in names)  # inside a sentence
    fig = charts.grouped_bar_chart(
        names, {f"{year - 1} ({t('derived', lang)})": list(rows["prior"]), f"{year}": list(rows["value"])},
        "ha", lang, _t("prior_title", lang, prior=year - 1, year=year), _t("sown_axis", lang))
    alt = (_t("prior_alt", lang) if list(rows["indicator_id"]) == PRIOR_ALT_IDS
           else _t("prior_alt_items", lang, items=items))
    return Chart(fig, alt, _t("prior_caption", lang, prior=year - 1))


# ------------------------------------------------------------------------------------------- the sections
def targets_section(report, frame: pd.DataFrame) -> None:
    """Growth, income and production value against their targets: table, the production note, the chart."""
    report.heading("h_targets")
    report.table(*targets_table(frame, report.lang))
    report.note(production_text(frame, report.lang))
    report.chart(attainment_chart(frame, report.lang))


def statements_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_statements", level=3)
    report.note(statements_text(frame, report.lang))
    if not frame.empty:
        report.table(*statements_table(frame, report.lang))


def structure_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_structure")
    report.chart(structure_chart(frame, report.lang))
    report.table(*structure_table(frame, report.lang))
    report.note(structure_total_text(frame, report.lang))


def sown_section(report, frame: pd.DataFrame) -> None:
    """Agriculture, first the sown areas: table, what their sums show, chart."""
    report.heading("h_agriculture")
    report.heading("h_sown", level=3)
    report.table(*sown_table(frame, report.lang))
    report.note(sown_text(frame, report.lang))
    report.chart(sown_chart(frame, report.year, report.lang))


def farming_section(report, frame: pd.DataFrame) -> None:
    """Yield, livestock, fish farming: table, the estimate mark, the previous-year chart."""
    report.heading("h_farming", level=3)
    report.table(*farming_table(frame, report.lang))
    report.note(report.t("estimated_note"))
    chart = prior_chart(frame, report.lang)
    if chart is None:
        report.note(report.t("prior_none", prior=report.year - 1))
    else:
        report.chart(chart)


def other_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_other", level=3)
    if frame.empty:
        report.note(report.t("other_none"))
    else:
        report.table(*other_table(frame, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The comparison with another year (`frame` is None when the data holds no other year)."""
    report.comparison(frame, lambda f: compare_table(f, report))
