"""camgiang_data.analyses.credit_fund: plans, end-of-year values and shares recomputed from the facts; the overdue
share's truncation; missing data; both languages."""

from __future__ import annotations

import datetime as dt
import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import credit_fund as cf
from camgiang_data.present.fmt import format_money_short, format_value

from .conftest import drop_facts, two_years


def _rows(indicator_id, year=2021, kind="actual", basis="stated"):
    f = cg.load("facts")
    return f[(f["indicator_id"] == indicator_id) & (f["year"] == year) & (f["kind"] == kind) & (f["basis"] == basis)]


def _value(indicator_id, year=2021, kind="actual", basis="stated"):
    rows = _rows(indicator_id, year, kind, basis)
    return float("nan") if rows.empty else float(rows["value"].iloc[0])


def test_position_matches_stated_and_derived_rows():
    frame = cf.position().set_index("indicator_id")
    assert list(frame.index) == cf.INDICATORS
    for iid in cf.INDICATORS:
        row = frame.loc[iid]
        assert row["actual"] == _value(iid)
        attainment = _value(iid, kind="plan_attainment")
        if math.isnan(attainment):
            assert math.isnan(row["implied_plan"])
        else:
            assert row["implied_plan"] == pytest.approx(row["actual"] * 100 / attainment)
            # the library's own derived plan (derivations.csv) agrees with this module's formula
            assert row["implied_plan"] == pytest.approx(_value(iid, 2021, "target", "derived"))
        change = _value(iid, kind="change")
        if not math.isnan(change):
            assert row["prior"] == pytest.approx(row["actual"] - change)
            assert row["prior"] == pytest.approx(_value(iid, 2020, "actual", "derived"))
            assert row["change_pct"] == pytest.approx(100 * change / row["prior"])
        else:
            assert math.isnan(row["prior"]) and math.isnan(row["change_pct"])
    assert cf.reference_date() == _rows(cf.LOANS)["ref_date"].iloc[0].date()


def test_overdue_share_is_truncated_not_rounded():
    o = cf.overdue_share()
    overdue, loans, stated = _value(cf.OVERDUE), _value(cf.LOANS), _value(cf.OVERDUE_SHARE)
    assert o.computed == pytest.approx(100 * overdue / loans)
    assert o.stated == stated and o.decimals == 2
    assert o.rounded == pytest.approx(round(100 * overdue / loans + 1e-12, 2))
    assert o.truncated == pytest.approx(math.floor(100 * overdue / loans * 100) / 100)
    assert o.verdict == ("agree" if o.rounded == stated else "truncated" if o.truncated == stated else "differ")
    assert o.verdict == "truncated"
    table = cf.overdue_table()
    assert list(table["value"]) == [o.stated, o.computed, o.rounded]


def test_verdicts():
    make = lambda stated, computed: cf.OverdueShare(1, 1, stated, computed, 2, round(computed, 2),  # noqa: E731
                                                    math.floor(computed * 100) / 100)
    assert make(2.45, 2.448).verdict == "agree"
    assert make(2.44, 2.448).verdict == "truncated"
    assert make(3.0, 2.448).verdict == "differ"
    assert cf.OverdueShare(1, 1, float("nan"), 1, 2, 1, 1).verdict == "missing"


def test_funds_remainders_and_shares():
    frame = cf.funds().set_index(["side", "key"])
    capital = _value(cf.CAPITAL)
    assert frame.loc[("sources", "sources_rest"), "value"] == pytest.approx(
        capital - _value(cf.CHARTER) - _value(cf.DEPOSITS))
    assert frame.loc[("uses", "uses_rest"), "value"] == pytest.approx(
        capital - _value(cf.LOANS) - _value(cf.COOPBANK))
    assert frame.loc[("uses", cf.LOANS), "share_of_capital"] == pytest.approx(100 * _value(cf.LOANS) / capital)
    assert (frame.xs(cf.CAPITAL, level="key")["share_of_capital"] == 100).all()
    assert set(frame.loc[frame["indicator_id"].isna(), "basis"]) == {"computed"}


def test_formulas():
    assert cf.implied_plan(83, 83) == 100 and math.isnan(cf.implied_plan(1, 0))
    assert cf.prior_from_change(10, -2) == 12 and math.isnan(cf.prior_from_change(None, 1))
    assert cf.percent_change(-2, 12) == pytest.approx(-100 / 6) and math.isnan(cf.percent_change(1, 0))
    assert cf.remainder(10, [3, 4]) == 3 and math.isnan(cf.remainder(10, [3, float("nan")]))
    assert cf.share(1, 4) == 25


def test_texts_in_both_languages():
    p = cf.position().set_index("indicator_id")
    for lang in ("vi", "en"):
        summary = cf.summary_text(lang=lang)
        assert format_money_short(p.loc[cf.LOANS, "actual"], lang) in summary
        assert format_value(p.loc[cf.LOANS, "plan_attainment"], "percent", lang) in summary
        assert format_money_short(abs(p.loc[cf.LOANS, "change"]), lang) in summary
        assert cf.format_date(cf.reference_date(), lang) in summary
        note = cf.overdue_note(lang=lang)
        assert format_value(cf.overdue_share().stated, "percent", lang, 2) in note
        assert cf.format_date(cf.reference_date(), lang) in cf.ref_date_note(lang=lang)
    date = _rows(cf.LOANS)["ref_date"].iloc[0]
    assert date.strftime("%d/%m/%Y") in cf.summary_text(lang="vi")
    assert f"{date.day} {date.strftime('%B')} {date.year}" in cf.summary_text(lang="en")
    assert "giảm" in cf.summary_text(lang="vi") and "down" in cf.summary_text(lang="en")
    assert cf.format_date(None, "en") == "not stated"
    # the date is printed on the total-capital line only (README: applied to the whole paragraph)
    assert cf.ref_date_lines() == [i for i in cf.INDICATORS + [cf.OVERDUE_SHARE]
                                   if date.strftime("%d/%m/%Y") in _rows(i)["quote"].iloc[0]]


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {cf.OVERDUE, cf.COOPBANK}, derived=True)
    drop_facts(data_dir, {cf.LOANS}, {"plan_attainment"}, derived=True)
    p = cf.position(data_dir=data_dir).set_index("indicator_id")
    assert math.isnan(p.loc[cf.LOANS, "implied_plan"]) and not math.isnan(p.loc[cf.LOANS, "prior"])
    assert math.isnan(p.loc[cf.COOPBANK, "actual"]) and math.isnan(p.loc[cf.COOPBANK, "prior"])
    assert cf.overdue_share(data_dir=data_dir).verdict == "missing"
    funds = cf.funds(data_dir=data_dir)
    assert math.isnan(funds.loc[funds["key"] == "uses_rest", "value"].iloc[0])
    assert not math.isnan(funds.loc[funds["key"] == "sources_rest", "value"].iloc[0])
    for lang in ("vi", "en"):
        assert present.t("not_reported", lang) in cf.summary_text(data_dir=data_dir, lang=lang)
        assert cf.overdue_note(data_dir=data_dir, lang=lang) == cf.TEXT["overdue_note_missing"][lang]
        plt.close(cf.change_chart(data_dir=data_dir, lang=lang))
        plt.close(cf.attainment_chart(data_dir=data_dir, lang=lang))


def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in (("position", cf.position()), ("change", cf.position()),
                             ("overdue", cf.overdue_table()), ("funds", cf.funds())):
            markup = present.show_table(frame.to_dict("records"), cf.columns(ctx, which), ctx)
            assert markup.count("<tr>") == len(frame) + 1
        fig = cf.change_chart(lang=lang)
        labels = [text.get_text() for text in fig.axes[0].texts]
        changed = cf.position().dropna(subset=["change"])
        assert labels == [format_money_short(v, lang) for v in list(changed["prior"]) + list(changed["actual"])]
        plt.close(fig)
        plt.close(cf.attainment_chart(lang=lang))
        ctx2 = present.context(2022, lang, root)
        frame = cf.compare(2022, 2021, root)
        assert (frame["change"] == 0).all()
        markup = present.show_table(frame.to_dict("records"), cf.columns(ctx2, "compare"), ctx2)
        assert format_value(_value(cf.OVERDUE_SHARE), "percent", lang) in markup  # a rate is not money
        assert format_value(_value(cf.LOANS), "VND", lang, 0) in markup  # stated amounts in full
    assert "giảm" in cf.change_caption(lang="vi")
    with pytest.raises(ValueError):
        cf.columns(present.context(), "nope")
    assert cf.reference_date(2022, root) == dt.date(2022, 11, 30)
