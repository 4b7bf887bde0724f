"""Budget balance, as readers see it: the words (messages/reports/budget.toml), tables and charts of the frames
`camgiang_data.analyses.budget` computes. Each section function shows its heading, table and chart on a
`Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for tests and
for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.budget import UNIT, Balance, Dependence, Layout, lines_sum, total
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_money_short, format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, name_col

NAME = "budget"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/budget.toml
TITLE = TEXT["title"]
NAN = float("nan")



def _money(value, lang: str) -> str:
    return format_value(value, UNIT, lang)


def _pct(value, lang: str, decimals: int | None = 1) -> str:
    return format_value(value, "percent", lang, decimals)


def intro(year: int, lang: str, unit: str) -> str:
    return t("intro", lang, TEXT, year=year, unit=unit)


def summary_text(rev: pd.DataFrame, b: Balance, dep: Dependence, lang: str) -> str:
    """One sentence with the headline numbers (for the index page)."""
    attainment = rev.loc[rev["is_total"], "plan_attainment"]
    return t("summary", lang, TEXT, year=b.year, next_year=b.year + 1, revenue=_money(b.revenue, lang),
             attainment=_pct(attainment.iloc[0] if len(attainment) else NAN, lang, None),
             spending=_money(b.spending, lang), carry=_money(b.stated, lang),
             transfer_share=_pct(dep.transfer_share, lang))


def balance_text(b: Balance, lang: str) -> str:
    if b.agrees is None:
        missing = [t(k, lang, TEXT) for k, v in (("b_revenue", b.revenue), ("b_spending", b.spending),
                                                  ("b_stated", b.stated)) if is_missing(v)]
        return t("balance_missing", lang, TEXT, missing=", ".join(missing))
    key = "balance_agree" if b.agrees else "balance_disagree"
    return t(key, lang, TEXT, computed=_money(b.computed, lang), stated=_money(b.stated, lang),
             difference=format_value(b.difference, UNIT, lang, signed=True), next_year=b.year + 1)


def dependence_text(d: Dependence, lang: str, unit: str) -> str:
    return t("dependence", lang, TEXT, unit=unit, transfer=_money(d.transfer, lang), share=_pct(d.transfer_share, lang),
             total=_money(d.total, lang), own=_money(d.own, lang), own_share=_pct(d.own_share, lang))


def next_year_text(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """One sentence per budget target of year + 1 (or one saying there is none)."""
    if frame.empty:
        return [t("next_none", lang, TEXT, year=year + 1)]
    out = []
    for row in frame.to_dict("records"):
        qualifier = row["qualifier"] if isinstance(row["qualifier"], str) else None
        value = format_value(row["value"], row["unit"], lang, qualifier=qualifier)
        out.append(t("next_target", lang, TEXT, year=row["year"], prev=year, value=value))
    return out


def _label(row: dict, lang: str) -> str:
    return t("total_row", lang, TEXT) if row.get("is_total") else row[name_col(lang)]


def flow_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`: line, amount, share, stated attainment."""
    share_key = "col_share_rev" if frame["indicator_id"].str.startswith("budget.revenue").any() else "col_share_spend"
    rows = [{**r, "label": _label(r, lang)} for r in frame.to_dict("records")]
    columns = [("label", t("col_line", lang, TEXT), None), ("value", t("col_amount", lang, TEXT), cell(lang, UNIT)),
               ("share", t(share_key, lang, TEXT), cell(lang, "percent", decimals=1))]
    if frame["plan_attainment"].notna().any():
        columns.append(("plan_attainment", t("col_attainment", lang, TEXT),
                        lambda v, r: "" if is_missing(v) else format_value(v, "percent", lang)))
    return rows, columns


def flow_caption(frame: pd.DataFrame, lang: str) -> str:
    key = "cap_revenue" if frame["indicator_id"].str.startswith("budget.revenue").any() else "cap_spending"
    return t(key, lang, TEXT, sum=_money(lines_sum(frame), lang), total=_money(total(frame), lang))


def balance_table(b: Balance, lang: str):
    rows = [{"label": t(k, lang, TEXT), "value": v} for k, v in (
        ("b_revenue", b.revenue), ("b_spending", b.spending), ("b_computed", b.computed), ("b_stated", b.stated),
        ("b_difference", b.difference))]
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_amount", lang, TEXT), cell(lang, UNIT))]


def plan_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]

    def plan_range(value, row):
        if is_missing(row["plan_low"]) or is_missing(row["plan_high"]):
            return t("not_reported", lang)
        return f"{format_money_short(row['plan_low'], lang)} – {format_money_short(row['plan_high'], lang)}"

    return rows, [("label", t("col_line", lang, TEXT), None),
                  ("value", t("col_actual", lang, TEXT), cell(lang, UNIT)),
                  ("plan_attainment", t("col_attainment", lang, TEXT), cell(lang, "percent")),
                  ("plan", t("col_plan", lang, TEXT), lambda v, r: format_money_short(v, lang)),
                  ("plan_low", t("col_plan_range", lang, TEXT), plan_range)]


def plan_caption(frame: pd.DataFrame, lang: str) -> str:
    """The implied plans of the lines against the implied total plan (rule budget.revenue_plan_parts)."""
    revenue_rows = frame[frame["indicator_id"].str.startswith("budget.revenue")]
    parts = revenue_rows.loc[~revenue_rows["is_total"], "plan"]
    tot = revenue_rows.loc[revenue_rows["is_total"], "plan"]
    return t("cap_plan", lang, TEXT, parts=format_money_short(parts.sum() if len(parts) else NAN, lang),
             total=format_money_short(tot.iloc[0] if len(tot) else NAN, lang))


def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    import html

    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]
    return rows, [("label", t("col_line", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), cell(lang, UNIT)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), cell(lang, UNIT)),
                  ("change", t("col_change", lang, TEXT), cell(lang, UNIT, signed=True)),
                  ("change_pct", t("col_change_pct", lang, TEXT), cell(lang, "percent", decimals=1, signed=True))]


# ---------------------------------------------------------------------------------------------------- charts

def _alt(title: str, labels: list[str], values: list, lang: str) -> str:
    items = "; ".join(f"{label}: {_money(v, lang)}" for label, v in zip(labels, values))
    return t("alt_bars", lang, TEXT, title=title, items=items)


def flow_chart(frame: pd.DataFrame, lang: str) -> Chart:
    """Bars of the lines (not the total), each labelled with its share of the total."""
    lines = frame[~frame["is_total"]]
    revenue_side = lines["indicator_id"].str.startswith("budget.revenue").any()
    labels = [f"{r[name_col(lang)]} ({_pct(r['share'], lang)})" for r in lines.to_dict("records")]
    values = list(lines["value"])
    title = t("ch_revenue" if revenue_side else "ch_spending", lang, TEXT, year=int(frame["year"].iloc[0]))
    fig = charts.bar_chart(_wrap_all(labels), values, UNIT, lang, title, t("axis_vnd", lang, TEXT))
    caption = t("cap_chart_missing", lang, TEXT) if any(is_missing(v) for v in values) else None
    return Chart(fig, _alt(title, labels, values, lang), caption)


def balance_chart(b: Balance, lang: str) -> Chart:
    labels = [t("b_revenue", lang, TEXT), t("b_spending", lang, TEXT), t("b_stated", lang, TEXT)]
    values = [b.revenue, b.spending, b.stated]
    title = t("ch_balance", lang, TEXT, year=b.year)
    fig = charts.bar_chart(_wrap_all(labels), values, UNIT, lang, title, t("axis_vnd", lang, TEXT), highlight={2})
    return Chart(fig, _alt(title, labels, values, lang), balance_text(b, lang))


def _wrap_all(labels: list[str], width: int = 34) -> list[str]:
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]


# ------------------------------------------------------------------------------------------- the sections

def opening(report, rev: pd.DataFrame, b: Balance, dep: Dependence) -> None:
    """Title block, the one-line summary (read by the runner for the index) and what the report shows."""
    report.header()
    report.summary(summary_text(rev, b, dep, report.lang))
    report.note(intro(report.year, report.lang, report.unit_word))


def flow(report, frame: pd.DataFrame) -> None:
    """Revenue by source, or spending by type: heading, table with its check of the sum, bar chart."""
    revenue_side = frame["indicator_id"].str.startswith("budget.revenue").any()
    report.heading("h_revenue" if revenue_side else "h_spending")
    report.table(*flow_table(frame, report.lang), caption=flow_caption(frame, report.lang))
    report.chart(flow_chart(frame, report.lang))


def balance_section(report, b: Balance, layout: Layout) -> None:
    report.heading("h_balance")
    report.table(*balance_table(b, report.lang), caption=balance_text(b, report.lang))
    if layout.carry_over_with_spending:  # as the 2021 report prints it: said where the data shows it
        report.note(report.t("balance_note"))
    report.chart(balance_chart(b, report.lang))


def plans_section(report, frame: pd.DataFrame, layout: Layout) -> None:
    report.heading("h_plan")
    report.table(*plan_table(frame, report.lang), caption=plan_caption(frame, report.lang))
    report.note(plan_note(layout, report))


def plan_note(layout: Layout, report) -> str:
    """How the implied plans are made; that the report prints no plan only where it prints none."""
    if not layout.stated_plans:
        return report.t("plan_note")
    import camgiang_data as cg

    catalog = cg.catalog(report.data_dir).set_index("indicator_id")
    lines = ", ".join(str(catalog.loc[i, name_col(report.lang)]) for i in layout.stated_plans if i in catalog.index)
    return report.t("plan_note_stated", lines=lines)


def dependence_section(report, d: Dependence) -> None:
    report.heading("h_dependence")
    report.note(dependence_text(d, report.lang, report.unit_word))


def next_year_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_next", year=report.year + 1)
    for sentence in next_year_text(frame, report.year, report.lang):
        report.note(sentence)


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The comparison with another year (`frame` is None when the data holds no earlier year)."""
    report.comparison(frame, lambda f: compare_table(f, report.lang))
