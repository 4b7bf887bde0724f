"""Targets scorecard, as readers see it: the words (messages/reports/targets.toml), tables and chart of the frames
`camgiang_data.analyses.targets` computes. Each section function shows its heading, table, notes and chart on a
`Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for tests and for
other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.targets import STATUSES, counts
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_money_short, format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, name_col
from camgiang_data.topical import STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED

NAME = "targets"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/targets.toml
TITLE = TEXT["title"]
MONEY_UNITS = ("VND", "VND_per_person_year")
POPULATION_GROWTH = "health.natural_population_growth_rate"  # the "below" target the 2021 chart note names


def _qual(value) -> str | None:
    return value if isinstance(value, str) else None


def _short(value, unit: str, lang: str, qualifier=None) -> str:
    """A target or result in prose: large amounts of money in words with their unit (`trên 55,1 triệu
    đồng/người/năm`: `format_money_short` and the rest of the unit), anything else as `format_value` writes it."""
    if unit not in MONEY_UNITS or is_missing(value) or abs(float(value)) < 1e6:
        return format_value(value, unit, lang, qualifier=_qual(qualifier))
    per = t(f"suffix.{unit}", lang).removeprefix(t("suffix.VND", lang))  # '/người/năm', ' per person per year'
    text = format_money_short(value, lang) + per
    return f"{t(qualifier, lang)} {text}" if _qual(qualifier) else text


# ------------------------------------------------------------------------------------------------------ text

def intro(year: int, lang: str) -> str:
    return t("intro", lang, TEXT, year=year, next=year + 1)


def target_text(row: dict, lang: str) -> str:
    """A target as a reader says it: `trên 7%`, `dưới 1%`, `giảm ít nhất 0,2 điểm %`."""
    if row["kind"] == "target_change" and not is_missing(row["target"]):
        direction = t("decrease" if float(row["target"]) < 0 else "increase", lang, TEXT)
        magnitude = format_value(abs(float(row["target"])), row["unit"], lang, qualifier=_qual(row["qualifier"]))
        return f"{direction} {magnitude}"
    return format_value(row["target"], row["unit"], lang, qualifier=_qual(row["qualifier"]))


def result_text(row: dict, lang: str) -> str:
    if row["kind"] == "target_change" and not is_missing(row["result"]):
        return format_value(row["result"], row["unit"], lang, signed=True)
    return format_value(row["result"], row["unit"], lang, qualifier=_qual(row.get("result_qualifier")))


def status_text(status, lang: str) -> str:
    return t(status if status in STATUSES else STATUS_NOT_REPORTED, lang, TEXT)


def summary_text(card: pd.DataFrame, upcoming: pd.DataFrame, year: int, lang: str) -> str:
    """One sentence with the headline numbers (for the index page), from the `scorecard` and `next_targets`."""
    if card.empty:
        return t("summary_none", lang, TEXT, year=year, next=year + 1, next_count=len(upcoming))
    c = counts(card)
    missed = [t("missed_item", lang, TEXT, name=r[name_col(lang)],
                result=_short(r["result"], r["unit"], lang, r.get("result_qualifier")),
                target=_short(r["target"], r["unit"], lang, r["qualifier"]))
              for r in card.to_dict("records") if r["status"] == STATUS_NOT_MET]
    return t("summary", lang, TEXT, year=year, next=year + 1, met=c[STATUS_MET], total=c["total"],
             not_met=c[STATUS_NOT_MET], not_reported=c[STATUS_NOT_REPORTED],
             missed=t("summary_missed", lang, TEXT, items="; ".join(missed)) if missed else "",
             next_count=len(upcoming))


def findings_texts(frame: pd.DataFrame, related: pd.DataFrame, lang: str) -> list[str]:
    """One line per scorecard indicator that has findings, naming the rules (details in the audit report)."""
    names = dict(zip(frame["indicator_id"], frame[name_col(lang)]))
    out = []
    for ident, rules in related.groupby("indicator_id", sort=False)["rule_id"]:
        out.append(t("findings", lang, TEXT, name=names.get(ident, ident), rules=", ".join(dict.fromkeys(rules))))
    return out


def next_list(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """The next year's targets as a list of short lines (`name: target`)."""
    if frame.empty:
        return [t("next_none", lang, TEXT, year=year + 1)]
    return [f"{r[name_col(lang)]}: {target_text(r, lang)}" for r in frame.to_dict("records")]


# ---------------------------------------------------------------------------------------------------- tables

def scorecard_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`."""
    rows = [{**r, "label": r[name_col(lang)], "target_text": target_text(r, lang),
             "result_text": result_text(r, lang), "status_text": status_text(r["status"], lang)}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("result_text", t("col_result", lang, TEXT), None),
                  ("status_text", t("col_status", lang, TEXT), None),
                  ("ratio", t("col_ratio", lang, TEXT),
                   lambda v, r: "" if is_missing(v) else format_value(v, "percent", lang, 1))]


def sources_table(frame: pd.DataFrame, lang: str):
    rows = [{"label": r[name_col(lang)], "target_quote": r["target_quote"],
             "result_quote": r["result_quote"] if isinstance(r["result_quote"], str) else t("not_reported", lang)}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_quote", t("col_target_quote", lang, TEXT), None),
                  ("result_quote", t("col_result_quote", lang, TEXT), None)]


def next_table(frame: pd.DataFrame, lang: str):
    rows = [{"label": r[name_col(lang)], "target_text": target_text(r, lang), "quote": r["target_quote"]}
            for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("quote", t("col_quote", lang, TEXT), None)]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]

    def fmt(signed):  # a change of a rate (%) is in percentage points
        return lambda v, row: format_value(v, "pp" if signed and row["unit"] == "percent" else row["unit"], lang,
                                           signed=signed)

    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("result", t("col_year_result", lang, TEXT, year=year), fmt(False)),
                  ("compare_result", t("col_year_result", lang, TEXT, year=other), fmt(False)),
                  ("change", t("col_change", lang, TEXT), fmt(True))]


def prior_targets_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, "label": r[name_col(lang)], "target_text": target_text(r, lang),
             "result_text": result_text({**r, "result_qualifier": None}, lang),
             "status_text": status_text(r["status"], lang)} for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("target_text", t("col_target", lang, TEXT), None),
                  ("result_text", t("col_result", lang, TEXT), None),
                  ("status_text", t("col_status", lang, TEXT), None)]


# ---------------------------------------------------------------------------------------------------- charts

def chart_note(rows: list[dict], lang: str) -> str:
    """How to read the chart; its last sentence names the "below" targets charted (lower is met), if any."""
    below = [r for r in rows if r["qualifier"] == "below"]
    if not below:
        return t("chart_note_no_below", lang, TEXT)
    if {r["indicator_id"] for r in below} == {POPULATION_GROWTH}:
        return t("chart_note", lang, TEXT)
    return t("chart_note_below", lang, TEXT, names=", ".join(r[name_col(lang)] for r in below))


def ratio_chart(frame: pd.DataFrame, lang: str) -> Chart | None:
    """result ÷ target (%) per level target with a result; a line at 100 %; not-met bars highlighted."""
    rows = [r for r in frame.to_dict("records") if not is_missing(r["ratio"])]
    if not rows:
        return None
    year = int(rows[0]["year"])
    labels = []
    for r in rows:
        label = f"{r[name_col(lang)]} ({_short(r['target'], r['unit'], lang, r['qualifier'])})"
        if r["qualifier"] == "below":
            label += f"\n[{t('below_hint', lang, TEXT)}]"
        labels.append(_wrap(label))
    values = [r["ratio"] for r in rows]
    highlight = {i for i, r in enumerate(rows) if r["status"] == STATUS_NOT_MET}
    title = t("ch_ratio", lang, TEXT, year=year)
    fig = charts.bar_chart(labels, values, "percent", lang, title, t("axis_ratio", lang, TEXT), decimals=1,
                           highlight=highlight)
    _mark_target_line(fig.axes[0], lang)
    items = "; ".join(f"{r[name_col(lang)]}: {result_text(r, lang)} / {target_text(r, lang)} = "
                      f"{format_value(r['ratio'], 'percent', lang, 1)} ({status_text(r['status'], lang)})"
                      for r in rows)
    return Chart(fig, t("alt", lang, TEXT, title=title, items=items), chart_note(rows, lang))


def _mark_target_line(ax, lang: str) -> None:
    """The dashed line at 100 % (the target), with the value labels kept legible where they cross it."""
    for text in ax.texts:
        text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.0})
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--", label=t("line_100", lang, TEXT), zorder=0)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    left, right = ax.get_xlim()
    ax.set_xlim(left, max(right, 135))


def _wrap(label: str, width: int = 38) -> str:
    import textwrap

    return "\n".join("\n".join(textwrap.wrap(part, width)) or part for part in label.split("\n"))


# ------------------------------------------------------------------------------------------- the sections

def scorecard_section(report, card: pd.DataFrame) -> None:
    """The year's targets with their results and status, and how they are judged."""
    report.heading("h_scorecard", year=report.year)
    if card.empty:
        report.note(report.t("none", year=report.year))
        return
    report.table(*scorecard_table(card, report.lang))
    report.note(report.t("status_note"))


def findings_section(report, card: pd.DataFrame, related: pd.DataFrame) -> None:
    """One note per scorecard figure the audit has findings on (no heading: it follows the scorecard)."""
    for sentence in findings_texts(card, related, report.lang):
        report.note(sentence)


def chart_section(report, card: pd.DataFrame) -> None:
    report.heading("h_chart")
    chart = ratio_chart(card, report.lang)
    if chart is None:
        report.note(report.t("chart_none"))
    else:
        report.chart(chart)


def sources_section(report, card: pd.DataFrame) -> None:
    """The report's sentences that state each target and its result."""
    report.heading("h_sources")
    if card.empty:
        report.note(report.t("none", year=report.year))
    else:
        report.table(*sources_table(card, report.lang))


def next_section(report, upcoming: pd.DataFrame) -> None:
    report.heading("h_next", year=report.year + 1)
    if upcoming.empty:
        report.note(report.t("next_none", year=report.year + 1))
    else:
        report.table(*next_table(upcoming, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The results of this year's targets against the comparison year's (`frame` is None without one)."""
    report.comparison(frame, lambda f: compare_table(f, report.lang))


def prior_targets_section(report, frame: pd.DataFrame | None, repeats: bool = False) -> None:
    """The targets the comparison year's report set for this year, judged (nothing without a comparison year);
    where they are this year's scorecard itself (`repeats`), a sentence says so instead of a second table."""
    if frame is None:
        return
    report.heading("h_prior_targets", year=report.year, other=report.compare_year)
    if repeats:
        report.note(report.t("prior_same", year=report.year, other=report.compare_year))
    else:
        report.table(*prior_targets_table(frame, report.lang))
