"""camgiang_data.analyses.budget: values recomputed from the facts, the missing-data path, a second year, both
languages."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data.analyses import budget
from camgiang_data.present.reports import budget as show
from camgiang_data.present.fmt import format_value

from .conftest import drop_facts, read_rows, two_years, write_rows

YEAR = 2021
REVENUE_LINES = ["budget.revenue.own_balancing", "budget.revenue.carried_forward",
                 "budget.revenue.prior_year_surplus", "budget.revenue.balancing_transfer"]
SPENDING_LINES = ["budget.spending.recurrent", "budget.spending.development_investment"]


def fact(indicator_id, kind="actual", year=YEAR, data_dir=None):
    facts = cg.load("facts", YEAR, data_dir)
    rows = facts[(facts["indicator_id"] == indicator_id) & (facts["year"] == year) & (facts["kind"] == kind)]
    rows = rows.sort_values(["basis", "mention"], ascending=[False, True])  # stated first, then derived
    return None if rows.empty else float(rows["value"].iloc[0])


def restate(data_dir: Path, year_folder: int, indicator_id: str, old: str, new: str, value: float) -> None:
    """Make the report of a (test) year print `new` where it printed `old` for one figure: the source text, the
    quotes and the figure's as_written and value change together (and the source's checksum with them), so the
    data stays valid."""
    folder = data_dir / str(year_folder)
    source = (folder / "source.txt").read_text(encoding="utf-8")
    assert source.count(old) == 1
    source = source.replace(old, new)
    (folder / "source.txt").write_text(source, encoding="utf-8")
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    meta["source_sha256"] = hashlib.sha256(source.encode("utf-8")).hexdigest()
    (folder / "source.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    for name in ("facts.csv", "derivations.csv"):
        rows = read_rows(folder / name)
        for r in rows:
            r["quote"] = r["quote"].replace(old, new)
            if r["indicator_id"] == indicator_id and r.get("as_written") == old:
                r["as_written"], r["value"] = new, repr(float(value))
        write_rows(folder / name, rows)


# ------------------------------------------------------------------------------------------------ values

def test_revenue_lines_values_and_shares_come_from_the_facts():
    frame = budget.revenue(YEAR)
    total = fact("budget.revenue.total")
    assert list(frame["indicator_id"]) == REVENUE_LINES + ["budget.revenue.total"]
    for row in frame.to_dict("records"):
        assert row["value"] == fact(row["indicator_id"])
        assert row["share"] == pytest.approx(100 * fact(row["indicator_id"]) / total)
    assert budget.total(frame) == total
    assert budget.lines_sum(frame) == pytest.approx(sum(fact(i) for i in REVENUE_LINES))


def test_spending_lines_and_shares():
    frame = budget.spending(YEAR)
    total = fact("budget.spending.total")
    assert list(frame["indicator_id"]) == SPENDING_LINES + ["budget.spending.total"]
    shares = frame.loc[~frame["is_total"], "share"]
    assert list(shares) == pytest.approx([100 * fact(i) / total for i in SPENDING_LINES])
    assert budget.lines_sum(frame) == pytest.approx(sum(fact(i) for i in SPENDING_LINES))


def test_balance_is_revenue_minus_spending_against_the_stated_carry_over():
    b = budget.balance(YEAR)
    computed = fact("budget.revenue.total") - fact("budget.spending.total")
    assert b.computed == pytest.approx(computed)
    assert b.stated == fact("budget.balance.carried_over")
    assert b.difference == pytest.approx(b.stated - computed)
    assert b.agrees is (abs(b.stated - computed) <= b.tolerance + 1e-6)


def test_balance_disagreement_is_shown_with_both_figures(data_dir):
    stated = fact("budget.balance.carried_over")
    restate(data_dir, YEAR, "budget.balance.carried_over", "116.941.375đ", "116.942.375đ", stated + 1000)
    b = budget.balance(YEAR, data_dir)
    assert b.stated == stated + 1000
    assert b.agrees is False
    assert b.difference == pytest.approx(1000)
    for lang in ("vi", "en"):
        text = show.balance_text(b, lang)
        assert format_value(b.computed, "VND", lang) in text and format_value(b.stated, "VND", lang) in text


def test_plans_are_the_derived_targets_actual_times_100_over_attainment():
    plans = budget.plans(YEAR)
    assert set(plans["indicator_id"]) == {"budget.revenue.total", "budget.revenue.own_balancing",
                                          "budget.revenue.balancing_transfer"}
    assert plans["is_total"].iloc[0]
    for row in plans.to_dict("records"):
        actual, attainment = fact(row["indicator_id"]), fact(row["indicator_id"], "plan_attainment")
        assert row["plan_attainment"] == attainment
        assert row["plan"] == pytest.approx(actual * 100 / attainment)
        assert row["plan_low"] < row["plan"] < row["plan_high"]
        assert row["formula"] == "target_from_attainment"


def test_dependence_is_the_transfer_share_of_total_revenue():
    d = budget.dependence(YEAR)
    total, transfer = fact("budget.revenue.total"), fact("budget.revenue.balancing_transfer")
    assert d.transfer_share == pytest.approx(100 * transfer / total)
    assert d.own_share == pytest.approx(100 * fact("budget.revenue.own_balancing") / total)


def test_next_year_targets_are_those_of_year_plus_one():
    frame = budget.next_year_targets(YEAR)
    facts = cg.load("facts")
    expected = facts[(facts["year"] == YEAR + 1) & facts["indicator_id"].str.startswith("budget.")
                     & facts["kind"].isin(["target", "target_change"])]
    assert sorted(frame["indicator_id"]) == sorted(expected["indicator_id"])
    assert (frame["year"] == YEAR + 1).all()


# ------------------------------------------------------------------------------------------ missing data

def test_missing_transfer_shows_not_reported_not_zero(data_dir):
    drop_facts(data_dir, {"budget.revenue.balancing_transfer"}, derived=True)
    frame = budget.revenue(YEAR, data_dir)
    row = frame[frame["indicator_id"] == "budget.revenue.balancing_transfer"].iloc[0]
    assert math.isnan(row["value"]) and math.isnan(row["share"])
    assert math.isnan(budget.lines_sum(frame))
    d = budget.dependence(YEAR, data_dir)
    assert math.isnan(d.transfer_share)
    for lang, missing in (("vi", "không có số liệu"), ("en", "not reported")):
        assert missing in show.dependence_text(d, lang, "thị trấn")
        assert missing in summary(lang, data_dir)
        rows, columns = show.flow_table(frame, lang)
        cells = [fmt(r[key], r) for r in rows for key, _, fmt in columns if fmt is not None]
        assert missing in cells
        chart = show.flow_chart(frame, lang)
        assert missing in chart.alt and chart.caption
        plt.close(chart.fig)
    assert "budget.revenue.balancing_transfer" not in set(budget.plans(YEAR, data_dir)["indicator_id"])


def test_missing_total_spending_leaves_the_balance_unchecked(data_dir):
    drop_facts(data_dir, {"budget.spending.total"}, derived=True)
    b = budget.balance(YEAR, data_dir)
    assert b.agrees is None and math.isnan(b.computed) and b.stated == fact("budget.balance.carried_over")
    assert "Tổng chi" in show.balance_text(b, "vi")
    assert "Total spending" in show.balance_text(b, "en")
    chart = show.balance_chart(b, "en")
    plt.close(chart.fig)
    assert math.isnan(budget.spending(YEAR, data_dir)["share"].iloc[0])


def test_no_next_year_target(data_dir):
    drop_facts(data_dir, {"budget.revenue_over_assigned_plan"}, derived=True)
    frame = budget.next_year_targets(YEAR, data_dir)
    assert frame.empty
    assert show.next_year_text(frame, YEAR, "vi") == [f"Báo cáo không đặt chỉ tiêu ngân sách cho năm {YEAR + 1}."]
    assert "no budget target" in show.next_year_text(frame, YEAR, "en")[0]


# ------------------------------------------------------------------------------------------ comparison

def test_compare_with_a_second_year(tmp_path):
    root = two_years(tmp_path)
    revenue_2021 = fact("budget.revenue.total")
    restate(root, 2022, "budget.revenue.total", "7.804.089.625đ", "7.804.090.125đ", revenue_2021 + 500)
    frame = budget.compare(2022, 2021, root)
    row = frame[frame["indicator_id"] == "budget.revenue.total"].iloc[0]
    assert row["compare_value"] == revenue_2021 and row["value"] == revenue_2021 + 500
    assert row["change"] == pytest.approx(500)
    assert row["change_pct"] == pytest.approx(100 * 500 / revenue_2021)
    same = frame[frame["indicator_id"] == "budget.spending.total"].iloc[0]
    assert same["change"] == 0
    for lang in ("vi", "en"):
        rows, columns = show.compare_table(frame, lang)
        assert [h for _, h, _ in columns][1:3] == (["Năm 2022", "Năm 2021"] if lang == "vi" else ["2022", "2021"])


def summary(lang, data_dir=None):
    """The one-line summary from the frames it is made of."""
    return show.summary_text(budget.revenue(YEAR, data_dir), budget.balance(YEAR, data_dir),
                             budget.dependence(YEAR, data_dir), lang)


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_carries_the_headline_numbers_in_the_readers_format(lang):
    text = summary(lang)
    for ident in ("budget.revenue.total", "budget.spending.total", "budget.balance.carried_over"):
        assert format_value(fact(ident), "VND", lang, with_unit=False) in text
    share = 100 * fact("budget.revenue.balancing_transfer") / fact("budget.revenue.total")
    assert format_value(share, "percent", lang, 1) in text


def test_texts_differ_by_language():
    b, d = budget.balance(YEAR), budget.dependence(YEAR)
    assert summary("vi") != summary("en")
    assert "đồng" in show.balance_text(b, "vi") and "VND" in show.balance_text(b, "en")
    assert "Thu bổ sung" in show.dependence_text(d, "vi", "thị trấn") and "transfer" in show.dependence_text(d, "en", "thị trấn")
    assert show.heading("h_revenue", "vi") == "<h2>Thu ngân sách theo nguồn</h2>"
    assert show.heading("h_revenue", "en") == "<h2>Revenue by source</h2>"
    for lang in ("vi", "en"):
        rows, columns = show.plan_table(budget.plans(YEAR), lang)
        assert len(rows) == 3 and ("suy ra" in columns[3][1] if lang == "vi" else "derived" in columns[3][1])
        assert show.plan_caption(budget.plans(YEAR), lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_charts_carry_values_in_their_alt_text(lang):
    rev = budget.revenue(YEAR)
    chart = show.flow_chart(rev, lang)
    assert format_value(fact("budget.revenue.balancing_transfer"), "VND", lang) in chart.alt
    assert chart.caption is None
    plt.close(chart.fig)
    chart = show.balance_chart(budget.balance(YEAR), lang)
    assert format_value(fact("budget.balance.carried_over"), "VND", lang) in chart.alt
    plt.close(chart.fig)


def test_the_notes_on_the_reports_layout_follow_its_data(data_dir):
    """'The report prints the carry-over among the spending lines' and 'it prints no plan' are said where the
    data shows them (the 2021 report), not of every year."""
    from camgiang_data import present

    assert budget.layout(YEAR) == budget.Layout(True, ())
    drop_facts(data_dir, {"budget.balance.carried_over"}, derived=True)
    assert budget.layout(YEAR, data_dir).carry_over_with_spending is False
    report = present.report("budget", YEAR, "vi")
    assert "không ghi trực tiếp số kế hoạch" in show.plan_note(budget.Layout(True, ()), report)
    stated = show.plan_note(budget.Layout(True, ("budget.revenue.total",)), report)
    assert "không ghi trực tiếp" not in stated and "Tổng thu ngân sách" in stated
