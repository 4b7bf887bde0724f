"""Trends: series across report years, counted with derived previous-year points, shown from three points on
(the words and charts: `show = present.reports.trends`)."""

from __future__ import annotations

import matplotlib.pyplot as plt

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import trends
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import trends as show

from .conftest import two_years


def test_one_report_year_has_no_three_point_series():
    frame = trends.long_series(2021)
    assert frame.empty
    series = trends.series(2021)
    assert set(series["year"]) == {2020, 2021}
    assert (series.loc[series["year"] == 2020, "basis"] == "derived").all()
    assert trends.data_years() == [2021]
    for lang in ("vi", "en"):
        text = show.summary_text(frame, trends.data_years(), lang)
        assert text == present.t("none", lang, show.TEXT, min=3, years="2021")
    assert show.series_charts(frame, "vi") == []


def test_two_report_years_make_three_point_series(tmp_path):
    data = two_years(tmp_path)
    frame = trends.long_series(2022, data)
    assert not frame.empty
    for indicator, group in frame.groupby("indicator_id"):
        assert sorted(group["year"]) == [2020, 2021, 2022]
        facts_2021 = cg.load("facts", 2021, data)
        own = facts_2021[(facts_2021["indicator_id"] == indicator) & (facts_2021["kind"] == "actual")
                         & (facts_2021["year"] == 2021) & (facts_2021["mention"] == 1)]
        assert group.loc[group["year"] == 2021, "value"].iloc[0] == own["value"].iloc[0]
    count = frame["indicator_id"].nunique()
    for lang in ("vi", "en"):
        assert str(count) in show.summary_text(frame, trends.data_years(data), lang)
    charts = show.series_charts(frame, "en")
    assert len(charts) == count
    assert all("derived" in chart.alt and chart.caption == chart.alt for chart in charts)
    first = frame[frame["indicator_id"] == sorted(frame["indicator_id"])[0]].sort_values("year")
    assert format_value(first["value"].iloc[-1], first["unit"].iloc[-1], "en") in charts[0].alt
    for chart in charts:
        plt.close(chart.fig)


def test_the_section_shows_a_chart_per_series(tmp_path):
    data = two_years(tmp_path)
    report = present.report("trends", 2022, "vi", data)
    show.series_section(report, trends.long_series(2022, data))
    show.series_section(report, trends.long_series(2021, data))  # none yet: nothing shown
