"""Trends over the years, as readers see them: the words (messages/reports/trends.toml) and one line chart per
series of `camgiang_data.analyses.trends.long_series`, its derived points marked."""

from __future__ import annotations

import pandas as pd

from camgiang_data import units
from camgiang_data.analyses.trends import MIN_POINTS
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_value
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, name_col

NAME = "trends"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/trends.toml
TITLE = TEXT["title"]


def summary_text(frame: pd.DataFrame, data_years: list[int], lang: str) -> str:
    """How many indicators a `long_series` frame holds, over which years (or that there is none yet, among the
    `data_years` of the data)."""
    if frame.empty:
        return t("none", lang, TEXT, min=MIN_POINTS, years=", ".join(map(str, data_years)))
    return t("summary", lang, TEXT, count=frame["indicator_id"].nunique(), min=MIN_POINTS,
             first=int(frame["year"].min()), last=int(frame["year"].max()))


def point_label(year: int, basis: str, lang: str) -> str:
    """A year on the axis, with "(derived)" after a point no report states."""
    return f"{year}" + (f" ({t('derived', lang, TEXT)})" if basis == "derived" else "")


def series_chart(group: pd.DataFrame, lang: str) -> Chart:
    """The line chart of one indicator's points; its alt text, also its caption, lists every point."""
    group = group.sort_values("year")
    name, unit = group[name_col(lang)].iloc[0], group["unit"].iloc[0]
    labels = [point_label(y, b, lang) for y, b in zip(group["year"], group["basis"])]
    fig = charts.line_chart(list(group["year"]), {name: list(group["value"])}, unit, lang, name,
                            units.label(unit, lang))
    fig.axes[0].set_xticks(list(group["year"]), labels)
    alt = f"{name}: " + ", ".join(f"{label}: {format_value(v, unit, lang)}" for label, v in zip(labels, group["value"]))
    return Chart(fig, alt, alt)


def series_charts(frame: pd.DataFrame, lang: str) -> list[Chart]:
    """One chart per indicator of a `long_series` frame, by indicator id."""
    return [series_chart(group, lang) for _, group in frame.groupby("indicator_id", sort=True)]


def series_section(report, frame: pd.DataFrame) -> None:
    """Every series with enough points, one chart each (nothing when there is none: the summary says so)."""
    for chart in series_charts(frame, report.lang):
        report.chart(chart)
