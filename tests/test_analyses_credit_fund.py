"""camgiang_data.analyses.credit_fund: plans, end-of-year values and shares recomputed from the facts; the overdue
share's truncation; missing figures and a missing reference date; both languages."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import credit_fund as cf
from camgiang_data.present import messages
from camgiang_data.present.fmt import format_date, format_money_short, format_value
from camgiang_data.present.reports import credit_fund as show

from .conftest import drop_facts, read_rows, two_years, write_rows

TEXT = show.TEXT
# what a sentence must not say when a figure or the date is missing: an equation or a fraction of missing values,
# an empty label, a label that is only "not stated" ('Đến không ghi:'), a None
BROKEN = re.compile(r"(không có số liệu|not reported)\s*/|/\s*(không có số liệu|not reported)"
                    r"|=\s*(không có số liệu|not reported)|(không có số liệu|not reported) (=|kế hoạch|of plan)"
                    r"|(Đến|đến|At|at|ngày|as of) (không ghi|not stated)|(^|[;:,(—]\s*):|\bNone\b|\bnan\b")


def _rows(indicator_id, year=2021, kind="actual", basis="stated"):
    f = cg.load("facts")
    return f[(f["indicator_id"] == indicator_id) & (f["year"] == year) & (f["kind"] == kind) & (f["basis"] == basis)]


def _value(indicator_id, year=2021, kind="actual", basis="stated"):
    rows = _rows(indicator_id, year, kind, basis)
    return float("nan") if rows.empty else float(rows["value"].iloc[0])


def _frames(year=None, data_dir=None) -> dict:
    """Every frame of the report, by the name the notebook gives it."""
    return {"reference": cf.reference(year, data_dir), "position": cf.position(year, data_dir),
            "overdue": cf.overdue_share(year, data_dir), "funds": cf.funds(year, data_dir)}


def _texts(f: dict, lang: str) -> dict:
    """Every sentence, heading, column header and chart title the report writes that takes a figure or the date."""
    ref, position = f["reference"], f["position"]
    charts = [show.change_chart(position, ref, lang), show.attainment_chart(position, ref, lang)]
    titles = {f"chart {i}": c.fig.axes[0].get_title("left") for i, c in enumerate(charts)}
    legend = {"legend": " | ".join(t.get_text() for t in charts[0].fig.axes[0].get_legend().get_texts())}
    alts = {f"alt {i}": c.alt for i, c in enumerate(charts)}
    for c in charts:
        plt.close(c.fig)
    headers = {f"header {h}": h for table in (show.position_table(position, ref, lang),
                                              show.change_table(position, ref, lang)) for _, h, _ in table[1]}
    return {"summary": show.summary_text(position, f["overdue"], ref, lang),
            "ref_date": show.ref_date_note(ref, lang), "overdue": show.overdue_note(f["overdue"], lang),
            "caption": show.change_caption(position, ref.year, lang), **titles, **legend, **alts, **headers}


def _undate(data_dir: Path) -> None:
    """Blank the reference date of every credit-fund figure (the report no longer says what date it is as of)."""
    for name in ("facts.csv", "derivations.csv"):
        path = data_dir / "2021" / name
        rows = read_rows(path)
        for r in rows:
            if r["indicator_id"].startswith("credit_fund."):
                r["ref_date"] = ""
        write_rows(path, rows)


# ------------------------------------------------------------------------------------------------ values

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


def test_reference_date_and_where_it_is_printed():
    ref = cf.reference()
    date = _rows(cf.LOANS)["ref_date"].iloc[0]
    assert ref.year == 2021 and ref.date == date.date()
    assert set(ref.dated) == set(cf.DATED)
    # the date is printed on the total-capital line only (README: applied to the whole paragraph)
    assert list(ref.printed) == cf.ref_date_lines() == [i for i in cf.DATED
                                                        if date.strftime("%d/%m/%Y") in _rows(i)["quote"].iloc[0]]
    assert ref.printed_on_some_lines_only
    assert ref.printed_vi == tuple(cg.catalog().set_index("indicator_id").loc[list(ref.printed), "name_vi"])


def test_overdue_share_is_truncated_not_rounded():
    o = cf.overdue_share()
    overdue, loans, stated = _value(cf.OVERDUE), _value(cf.LOANS), _value(cf.OVERDUE_SHARE)
    assert o.computed == pytest.approx(100 * overdue / loans)
    assert o.stated == stated and o.decimals == 2
    assert o.rounded == pytest.approx(round(100 * overdue / loans + 1e-12, 2))
    assert o.truncated == pytest.approx(math.floor(100 * overdue / loans * 100) / 100)
    assert o.verdict == ("agree" if o.rounded == stated else "truncated" if o.truncated == stated else "differ")
    assert o.verdict == "truncated"
    rows, _ = show.overdue_table(o, "vi")
    assert [r["value"] for r in rows] == [o.stated, o.computed, o.rounded]


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


# ------------------------------------------------------------------------------------------ text, both languages

def test_texts_in_both_languages():
    f = _frames()
    p = f["position"].set_index("indicator_id")
    date = _rows(cf.LOANS)["ref_date"].iloc[0]
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        summary = texts["summary"]
        assert format_money_short(p.loc[cf.LOANS, "actual"], lang) in summary
        assert format_value(p.loc[cf.LOANS, "plan_attainment"], "percent", lang) in summary
        assert format_money_short(abs(p.loc[cf.LOANS, "change"]), lang) in summary
        assert format_date(cf.reference_date(), lang) in summary
        assert format_value(f["overdue"].stated, "percent", lang, 2) in texts["overdue"]
        assert format_date(cf.reference_date(), lang) in texts["ref_date"]
        assert texts["alt 0"] == TEXT["chart_alt"][lang] and texts["alt 1"] == TEXT["attainment_alt"][lang]
        assert not any(BROKEN.search(text) for text in texts.values()), texts
    assert date.strftime("%d/%m/%Y") in show.summary_text(f["position"], f["overdue"], f["reference"], "vi")
    en = show.summary_text(f["position"], f["overdue"], f["reference"], "en")
    assert f"{date.day} {date.strftime('%B')} {date.year}" in en and "down" in en
    assert "giảm" in show.summary_text(f["position"], f["overdue"], f["reference"], "vi")
    assert show.date_text(cf.Reference(2021, None, (), (), (), ()), "en") == "not stated"


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {cf.OVERDUE, cf.COOPBANK}, derived=True)
    drop_facts(data_dir, {cf.LOANS}, {"plan_attainment"}, derived=True)
    f = _frames(data_dir=data_dir)
    p = f["position"].set_index("indicator_id")
    assert math.isnan(p.loc[cf.LOANS, "implied_plan"]) and not math.isnan(p.loc[cf.LOANS, "prior"])
    assert math.isnan(p.loc[cf.COOPBANK, "actual"]) and math.isnan(p.loc[cf.COOPBANK, "prior"])
    assert f["overdue"].verdict == "missing"
    funds = f["funds"]
    assert math.isnan(funds.loc[funds["key"] == "uses_rest", "value"].iloc[0])
    assert not math.isnan(funds.loc[funds["key"] == "sources_rest", "value"].iloc[0])
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        assert present.t("not_reported", lang) in texts["summary"]
        assert texts["overdue"] == TEXT["overdue_note_missing"][lang]
        assert not any(BROKEN.search(text) for text in texts.values()), texts
        # the change chart no longer shows the Co-operative Bank deposits: its alternative text names what it shows
        assert texts["alt 0"] != TEXT["chart_alt"][lang] and "{" not in texts["alt 0"]


def test_missing_date_and_loans_read_naturally(data_dir):
    """The fund's figures without their date, and without the loans: no 'Đến không ghi: dư nợ cho vay không có số
    liệu', no '= không có số liệu'; the headings, titles and columns say the figures are undated instead."""
    _undate(data_dir)
    drop_facts(data_dir, {cf.LOANS}, derived=True)
    f = _frames(data_dir=data_dir)
    assert f["reference"].date is None and f["reference"].printed == ()
    for lang in ("vi", "en"):
        texts = _texts(f, lang)
        for name, text in texts.items():
            assert not BROKEN.search(text), (name, text)
        assert texts["summary"].startswith(TEXT["sum_opening_undated"][lang])
        assert texts["ref_date"] == TEXT["ref_date_note_undated"][lang].format(prior=2020)
        assert TEXT["col_actual_undated"][lang] in texts.values()
        assert texts["chart 1"] == TEXT["attainment_title_undated"][lang]


def test_every_key_the_presentation_asks_for_exists():
    source = Path(show.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r"""\b(?:_?t|_dated(?:_key)?|heading)\(["']([A-Za-z0-9_.]+)["']""", source))
    dated = set(re.findall(r"""\b_dated(?:_key)?\(["']([A-Za-z0-9_.]+)["']""", source))
    known = set(messages.report("credit_fund")) | set(messages.common())
    assert asked - known == set() and {f"{k}_undated" for k in dated} - known == set() and len(asked) > 20


# ------------------------------------------------------------------------------------------ tables, charts

def test_tables_and_charts_render_in_both_languages(tmp_path):
    root = two_years(tmp_path)
    f = _frames()
    ref, position = f["reference"], f["position"]
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for (rows, columns), n in ((show.position_table(position, ref, lang), len(position)),
                                   (show.change_table(position, ref, lang), len(position)),
                                   (show.overdue_table(f["overdue"], lang), 3),
                                   (show.funds_table(f["funds"], lang), len(f["funds"]))):
            markup = present.show_table(rows, columns, ctx)
            assert markup.count("<tr>") == n + 1 and "None" not in markup
        chart = show.change_chart(position, ref, lang)
        labels = [text.get_text() for text in chart.fig.axes[0].texts]
        changed = position.dropna(subset=["change"])
        assert labels == [format_money_short(v, lang) for v in list(changed["prior"]) + list(changed["actual"])]
        assert chart.caption == show.change_caption(position, 2021, lang)
        plt.close(chart.fig)
        plt.close(show.attainment_chart(position, ref, lang).fig)
        report = present.report("credit_fund", 2022, lang, root, 2021)
        frame = cf.compare(2022, 2021, root)
        assert (frame["change"] == 0).all()
        show.compare_section(report, frame)
        markup = present.show_table(frame.to_dict("records"), show.compare_columns(report), report.ctx)
        assert format_value(_value(cf.OVERDUE_SHARE), "percent", lang) in markup  # a rate is not money
        assert format_value(_value(cf.LOANS), "VND", lang, 0) in markup  # stated amounts in full
    assert "giảm" in show.change_caption(position, 2021, "vi")
    assert cf.reference_date(2022, root) == dt.date(2022, 11, 30)
