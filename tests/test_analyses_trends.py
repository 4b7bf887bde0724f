"""Trends: series across report years, counted with derived previous-year points, shown from three points on."""

from __future__ import annotations

import camgiang_data as cg
from camgiang_data.analyses import trends

from .conftest import two_years


def test_one_report_year_has_no_three_point_series():
    assert trends.long_series(2021).empty
    frame = trends.series(2021)
    assert set(frame["year"]) == {2020, 2021}
    assert (frame.loc[frame["year"] == 2020, "basis"] == "derived").all()
    assert "3" in trends.summary_text(2021, None, "vi") and "3" in trends.summary_text(2021, None, "en")
    assert trends.charts_for(2021, None, "vi") == []


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
    figures = trends.charts_for(2022, data, "en")
    assert len(figures) == frame["indicator_id"].nunique()
    assert all("derived" in alt for _, alt in figures)
