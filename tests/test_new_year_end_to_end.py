"""Issue #4 end to end: a year built from a test report through scaffold → extract → validate → run, on data kept
outside the package; the HTML shows the new values, the comparison with 2021 and the 2022 targets met or not."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import camgiang_data as cg
from camgiang_data.present.fmt import format_value

REPORT = Path(__file__).parent / "extraction_reports" / "report_2022_a.txt"


def camgiang(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "camgiang_data.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=900)


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from camgiang_data.paths import DEFAULT_DATA_DIR

    root = tmp_path_factory.mktemp("newyear")
    data = root / "mydata"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__"))
    steps = [("new-year", 2022, "--data-dir", data),
             ("extract", REPORT, "--year", 2022, "--data-dir", data),
             ("validate", "--year", 2022, "--data-dir", data),
             ("run", "--year", 2022, "--data-dir", data, "--out", root / "out", "--lang", "all")]
    for step in steps:
        result = camgiang(*step)
        assert result.returncode == 0, (step[0], result.stdout[-3000:], result.stderr[-3000:])
    return data, root / "out" / "2022"


def value(data, indicator, year, kind="actual"):
    facts = cg.load("facts", 2022, data)
    rows = facts[(facts["indicator_id"] == indicator) & (facts["year"] == year) & (facts["kind"] == kind)]
    return rows.sort_values("mention").iloc[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_reports_show_the_new_values_and_the_2021_comparison(built, lang):
    data, out = built
    budget = text_of(out / lang / "budget.html")
    new = value(data, "budget.revenue.total", 2022)
    old = cg.load("facts", 2021, data)
    old = old[(old["indicator_id"] == "budget.revenue.total") & (old["kind"] == "actual")].iloc[0]
    assert format_value(new["value"], "VND", lang, with_unit=False) in budget
    assert format_value(old["value"], "VND", lang, with_unit=False) in budget  # the comparison with 2021
    assert "2021" in budget and "2022" in budget
    vaccination = text_of(out / lang / "vaccination.html")
    assert format_value(value(data, "covid.vaccinated.dose1", 2022)["value"], "persons", lang, with_unit=False) \
        in vaccination


def test_the_2022_targets_set_in_2021_are_judged(built):
    data, out = built
    targets = cg.load("targets", 2022, data)
    growth = targets[(targets["indicator_id"] == "economy.growth_rate") & (targets["year"] == 2022)]
    assert len(growth) >= 1 and set(growth["status"]) <= {"met", "not_met"}
    carried = cg.load("facts", 2022, data)
    assert (carried["source_year"] == 2021).sum() >= 8  # the 2021 report's targets for 2022, with provenance
    page = text_of(out / "vi" / "targets.html")
    assert "không đạt" in page or "đạt" in page
    for row in growth.to_dict("records"):
        assert format_value(row["target"], "percent", "vi", with_unit=False) in page


def test_the_partial_year_shows_missing_figures_as_not_reported(built):
    data, out = built
    facts = cg.load("facts", 2022, data)
    assert facts["value"].isna().any()  # the test report leaves some figures out
    pages = " ".join(text_of(p) for p in (out / "vi").glob("*.html"))
    assert "không có số liệu" in pages


def test_series_with_three_points_get_a_time_series_chart(built):
    _, out = built
    page = (out / "vi" / "trends.html").read_text(encoding="utf-8")
    charts = re.findall(r'<img [^>]*src="data:image/png;base64,', page)
    assert len(charts) >= 1 and "2020" in page and "2022" in page
