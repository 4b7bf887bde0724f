"""The people's credit fund, as readers see it: the words (messages/reports/credit_fund.toml), tables and charts of
the frames `camgiang_data.analyses.credit_fund` computes. Each section function shows its heading, notes, tables
and charts on a `Report` and returns nothing; the `*_text`/`*_note`, `*_table` and `*_chart` functions give the
pieces, for tests and for other pages. Every sentence, heading and title that names the reference date has an
`_undated` twin for a year whose data gives no date.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.credit_fund import CAPITAL, COOPBANK, DEPOSITS, LOANS, OVERDUE, OverdueShare, Reference
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_date, format_money_short, format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, compare_columns, name_col

NAME = "credit_fund"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/credit_fund.toml
TITLE = TEXT["title"]
# the figures the fixed alternative texts name (`chart_alt`, `attainment_alt`); other sets are named one by one
CHANGE_ALT_IDS = [LOANS, CAPITAL, DEPOSITS, COOPBANK]
ATTAINMENT_ALT_IDS = [LOANS, CAPITAL, DEPOSITS]


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _dated_key(key: str, ref: Reference, lang: str) -> tuple[str, dict]:
    """(`key`, the reference date to fill in), or (`key`_undated, nothing) when the data gives no date."""
    return (f"{key}_undated", {}) if ref.date is None else (key, {"date": format_date(ref.date, lang)})


def _dated(key: str, ref: Reference, lang: str, **values) -> str:
    key, date = _dated_key(key, ref, lang)
    return _t(key, lang, **date, **values)


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _pct(value, lang: str) -> str:
    return format_value(value, "percent", lang)


def _change_words(change, lang: str) -> str:
    """'giảm 4,91 tỷ đồng' / 'down 4.91 billion VND' (not reported when missing)."""
    if is_missing(change):
        return t("not_reported", lang)
    return _t("decrease" if change < 0 else "increase", lang, amount=format_money_short(abs(change), lang))


# ---------------------------------------------------------------------------------------------------- text

def date_text(ref: Reference, lang: str) -> str:
    """The reference date in the reader's format ('not stated' when the data gives none)."""
    return format_date(ref.date, lang)


def summary_text(frame: pd.DataFrame, o: OverdueShare, ref: Reference, lang: str) -> str:
    """One sentence with the headline numbers (for the index page); where the date or a figure is missing, the
    figures listed by name, each with its value or "not reported"."""
    p = frame.set_index("indicator_id")
    headline = [p.loc[i, k] for i in (LOANS, CAPITAL, DEPOSITS) for k in ("actual", "plan_attainment")]
    headline += [p.loc[LOANS, "change"], o.overdue, o.rounded, o.stated]
    if ref.date is None or any(is_missing(v) for v in headline):
        return _summary_partial(p, o, ref, lang)
    money = {k: format_money_short(p.loc[i, "actual"], lang) for k, i in
             (("loans", LOANS), ("capital", CAPITAL), ("deposits", DEPOSITS))}
    return _t("summary", lang, date=date_text(ref, lang), prior=ref.year - 1, **money,
              loans_pct=_pct(p.loc[LOANS, "plan_attainment"], lang),
              loans_change=_change_words(p.loc[LOANS, "change"], lang),
              capital_pct=_pct(p.loc[CAPITAL, "plan_attainment"], lang),
              deposits_pct=_pct(p.loc[DEPOSITS, "plan_attainment"], lang),
              overdue=format_money_short(o.overdue, lang), overdue_share=_pct(o.rounded, lang),
              overdue_stated=_pct(o.stated, lang))


def _summary_partial(p: pd.DataFrame, o: OverdueShare, ref: Reference, lang: str) -> str:
    """The summary's figures listed by name, each with its value or "not reported"."""
    def name(indicator_id):
        return _lower(p.loc[indicator_id, name_col(lang)])

    listed = []
    for i in (LOANS, CAPITAL, DEPOSITS):
        listed += [(name(i), format_money_short(p.loc[i, "actual"], lang)),
                   (_t("sum_attainment", lang, name=name(i)), _pct(p.loc[i, "plan_attainment"], lang))]
    listed.insert(2, (_t("sum_change", lang, name=name(LOANS), prior=ref.year - 1),
                      _change_words(p.loc[LOANS, "change"], lang)))
    listed += [(name(OVERDUE), format_money_short(o.overdue, lang)),
               (_t("sum_overdue_share", lang), _pct(o.rounded, lang)),
               (_lower(_t("overdue_stated", lang)), _pct(o.stated, lang))]
    return _t("summary_partial", lang, opening=_dated("sum_opening", ref, lang),
              figures="; ".join(f"{label}: {value}" for label, value in listed))


def ref_date_note(ref: Reference, lang: str) -> str:
    """The reference date, and (when the report prints it on some lines only) on which."""
    text = _dated("ref_date_note", ref, lang, prior=ref.year - 1)
    if ref.printed_on_some_lines_only:
        names = ref.printed_vi if lang == "vi" else ref.printed_en
        text += " " + _t("ref_date_partial", lang, date=date_text(ref, lang), lines=", ".join(names))
    return text


def overdue_note(o: OverdueShare, lang: str) -> str:
    """The overdue share recomputed from its own figures against the stated one: agree, truncated, differ."""
    if o.verdict == "missing":
        return _t("overdue_note_missing", lang)
    return _t(f"overdue_note_{o.verdict}", lang, overdue=format_money_short(o.overdue, lang),
              loans=format_money_short(o.loans, lang), computed=format_value(o.computed, "percent", lang, 3),
              rounded=format_value(o.rounded, "percent", lang, o.decimals),
              stated=format_value(o.stated, "percent", lang, o.decimals))


def change_caption(frame: pd.DataFrame, year: int, lang: str) -> str:
    """Where the end-of-year values come from (and, when every stated change is a decrease, that all fell)."""
    changes = frame["change"].dropna()
    key = "chart_caption" if len(changes) and (changes < 0).all() else "chart_caption_mixed"
    return _t(key, lang, prior=year - 1)


# ---------------------------------------------------------------------------------------------------- tables

def _short_money(lang: str):
    """A cell in short form (58,12 tỷ đồng), for the derived plans: approximate, so not printed to the đồng."""
    return lambda value, row: format_money_short(value, lang)


def position_table(frame: pd.DataFrame, ref: Reference, lang: str):
    """(rows, columns) for `Report.table`: value at the date, as written, stated attainment, implied plan."""
    return frame.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None),
        ("actual", _dated("col_actual", ref, lang), cell(lang, "VND", decimals=0)),
        ("as_written", t("as_written", lang), lambda v, r: v if isinstance(v, str) else t("not_reported", lang)),
        ("plan_attainment", _t("col_attainment", lang), cell(lang, "percent")),
        ("implied_plan", _t("col_plan", lang), _short_money(lang))]


def change_table(frame: pd.DataFrame, ref: Reference, lang: str):
    """End of the previous year (derived), value at the date, stated change, change in %."""
    prior = ref.year - 1
    return frame.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None),
        ("prior", _t("col_prior", lang, prior=prior), cell(lang, "VND", decimals=0)),
        ("actual", _dated("col_actual", ref, lang), cell(lang, "VND", decimals=0)),
        ("change", _t("col_change", lang, prior=prior), cell(lang, "VND", decimals=0, signed=True)),
        ("change_pct", _t("col_change_pct", lang), cell(lang, "percent", decimals=1, signed=True))]


def overdue_table(o: OverdueShare, lang: str):
    """The share as stated, recomputed (3 decimals) and recomputed at the stated share's decimals."""
    rows = [{"key": key, "label": _t(key, lang, decimals=o.decimals), "value": value, "decimals": decimals}
            for key, value, decimals in (("overdue_stated", o.stated, None), ("overdue_computed", o.computed, 3),
                                         ("overdue_rounded", o.rounded, o.decimals))]
    return rows, [("label", t("indicator", lang), None),
                  ("value", t("value", lang), lambda v, r: format_value(v, "percent", lang, r["decimals"]))]


def funds_table(frame: pd.DataFrame, lang: str):
    """Sources and uses: each item, its amount, its share of total capital, stated or computed."""
    rows = [{**r, "side_label": _t(r["side"], lang),
             "label": _t(r["key"], lang) if r["basis"] == "computed" else r[name_col(lang)]}
            for r in frame.to_dict("records")]
    return rows, [("side_label", "", None), ("label", _t("col_item", lang), None),
                  ("value", _t("col_amount", lang), cell(lang, "VND", decimals=0)),
                  ("share_of_capital", t("share", lang), cell(lang, "percent", decimals=1)),
                  ("basis", _t("col_basis", lang), lambda v, r: _t(f"basis_{v}", lang))]


# ---------------------------------------------------------------------------------------------------- charts

def _alt(key: str, frame: pd.DataFrame, fixed: list[str], lang: str) -> str:
    """The fixed alternative text `key` when the chart shows the figures it names, else `key`_items naming them."""
    if list(frame["indicator_id"]) == fixed:
        return _t(key, lang)
    return _t(f"{key}_items", lang, items=", ".join(_lower(n) for n in frame[name_col(lang)]))


def _money_labels(fig, values: list, lang: str) -> None:
    """Rewrite the value labels a chart wrote (full đồng amounts) as short amounts (58,12 tỷ đồng)."""
    for text, value in zip(fig.axes[0].texts, values):
        text.set_text(format_money_short(value, lang))


def change_chart(frame: pd.DataFrame, ref: Reference, lang: str) -> Chart:
    """End of the previous year (derived) against the reference date, for the figures with a stated change."""
    prior = ref.year - 1
    changed = frame[frame["change"].notna()]
    series = {_t("series_prior", lang, prior=prior): list(changed["prior"]),
              _dated("series_actual", ref, lang): list(changed["actual"])}
    fig = charts.grouped_bar_chart(list(changed[name_col(lang)]), series, "VND", lang,
                                   _dated("chart_title", ref, lang, prior=prior), _t("chart_axis", lang))
    _money_labels(fig, [v for values in series.values() for v in values], lang)
    return Chart(fig, _alt("chart_alt", changed, CHANGE_ALT_IDS, lang), change_caption(frame, ref.year, lang))


def attainment_chart(frame: pd.DataFrame, ref: Reference, lang: str) -> Chart:
    """Plan attainment of the figures that state one; those below 100 % highlighted."""
    stated = frame[frame["plan_attainment"].notna()]
    fig = charts.bar_chart(list(stated[name_col(lang)]), list(stated["plan_attainment"]), "percent", lang,
                           _dated("attainment_title", ref, lang), _t("attainment_axis", lang),
                           highlight={i for i, v in enumerate(stated["plan_attainment"]) if v < 100})
    return Chart(fig, _alt("attainment_alt", stated, ATTAINMENT_ALT_IDS, lang))


# ------------------------------------------------------------------------------------------- the sections

def position_section(report, frame: pd.DataFrame, ref: Reference) -> None:
    """The position at the reference date: heading, what the date applies to, table, plan attainment."""
    key, date = _dated_key("h_position", ref, report.lang)
    report.heading(key, **date)
    report.note(ref_date_note(ref, report.lang))
    report.table(*position_table(frame, ref, report.lang))
    report.chart(attainment_chart(frame, ref, report.lang))


def change_section(report, frame: pd.DataFrame, ref: Reference) -> None:
    """Against the end of the previous year: heading, table, paired bars."""
    report.heading("h_change", prior=ref.year - 1)
    report.table(*change_table(frame, ref, report.lang))
    report.chart(change_chart(frame, ref, report.lang))


def overdue_section(report, o: OverdueShare) -> None:
    report.heading("h_overdue")
    report.table(*overdue_table(o, report.lang))
    report.note(overdue_note(o, report.lang))


def funds_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_structure")
    report.table(*funds_table(frame, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The fund's figures against another year's (`frame` is None when the data holds no earlier year)."""
    report.comparison(frame, lambda f: (f.to_dict("records"), compare_columns(report)))
