"""camgiang_data.analyses.economy: every value recomputed here from the facts, the missing-data path, both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import economy
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.topical import assess_target

from .conftest import drop_facts, two_years


def _fact(indicator_id, year=2021, kind="actual"):
    facts = cg.load("facts")
    rows = facts[(facts["indicator_id"] == indicator_id) & (facts["year"] == year) & (facts["kind"] == kind)]
    rows = rows.sort_values(["basis", "mention"], ascending=[False, True])  # stated before derived
    return None if rows.empty else rows.iloc[0]


def test_targets_recomputed_from_facts():
    frame = economy.targets().set_index("indicator_id")
    for iid in economy.HEADLINE_IDS:
        actual, target = _fact(iid), _fact(iid, kind="target")
        row = frame.loc[iid]
        assert row["actual"] == actual["value"] and row["target"] == target["value"]
        assert row["gap"] == pytest.approx(actual["value"] - target["value"])
        assert row["attainment"] == pytest.approx(100 * actual["value"] / target["value"])
        assert row["status"] == assess_target(target["value"], target["qualifier"], actual["value"])
        nxt = _fact(iid, 2022, "target")
        assert row["next_target"] == nxt["value"]
    production = frame.loc["economy.production_value"]
    stated = _fact("economy.production_value", kind="plan_attainment")["value"]
    assert production["stated_attainment"] == stated
    assert production["implied_plan"] == pytest.approx(production["actual"] * 100 / stated)
    # The report's own figures do not give the attainment it states (the audit's finding).
    assert abs(production["attainment"] - stated) > 1
    assert frame.loc["economy.growth_rate", "gap_unit"] == "pp"


def test_formulas_handle_missing_and_zero():
    assert math.isnan(economy.attainment(float("nan"), 10)) and math.isnan(economy.attainment(5, 0))
    assert economy.attainment(5, 10) == 50
    assert math.isnan(economy.implied_plan(5, None)) and economy.implied_plan(50, 50) == 100
    assert math.isnan(economy.total([1, float("nan")])) and economy.total([1, 2]) == 3
    assert math.isnan(economy.difference(None, 1)) and economy.difference(3, 1) == 2
    assert economy.change_unit("percent") == "pp" and economy.change_unit("ha") == "ha"


def test_structure_shares_are_the_stated_ones():
    frame = economy.structure()
    assert list(frame["indicator_id"]) == economy.STRUCTURE_IDS
    for row in frame.to_dict("records"):
        assert row["share"] == _fact(row["indicator_id"])["value"]
        assert row["label_vi"] and ":" not in row["label_vi"] and row["label_en"][0].isupper()
    assert economy.total(frame["share"]) == pytest.approx(sum(_fact(i)["value"] for i in economy.STRUCTURE_IDS))


def test_sown_area_sums_show_the_total_includes_the_fallow_fields():
    frame = economy.sown_area().set_index("key")
    veg = _fact("agriculture.sown_area.vegetables")["value"]
    rice = _fact("agriculture.sown_area.rice")["value"]
    fallow = _fact("agriculture.fallow_area")["value"]
    stated_total = _fact("agriculture.sown_area.total")["value"]
    assert frame.loc["sown_parts_sum", "value"] == pytest.approx(veg + rice)
    assert frame.loc["sown_parts_fallow", "value"] == pytest.approx(veg + rice + fallow)
    assert frame.loc["sown_unexplained", "value"] == pytest.approx(stated_total - veg - rice)
    assert frame.loc["agriculture.sown_area.total", "basis"] == "stated"
    assert set(frame.loc[["sown_parts_sum", "sown_parts_fallow"], "basis"]) == {"computed"}


def test_farming_prior_values_are_the_derived_rows():
    frame = economy.farming().set_index("indicator_id")
    assert list(frame.index) == economy.FARMING_IDS
    facts = cg.load("facts")
    derived = facts[(facts["basis"] == "derived") & (facts["year"] == 2020)]
    for row in derived.to_dict("records"):
        if row["indicator_id"] in frame.index:
            assert frame.loc[row["indicator_id"], "prior"] == pytest.approx(row["value"])
            assert frame.loc[row["indicator_id"], "prior_formula"] == row["formula"]
    fallow = frame.loc["agriculture.fallow_area"]
    assert fallow["change"] == _fact("agriculture.fallow_area", kind="change")["value"]
    assert fallow["prior"] == pytest.approx(fallow["value"] - fallow["change"])
    assert math.isnan(frame.loc["agriculture.livestock.pigs", "prior"])  # no 2020 value: not invented
    assert list(economy.prior_values()["indicator_id"]) == [i for i in economy.FARMING_IDS
                                                           if not math.isnan(frame.loc[i, "prior"])]


def test_statements_quote_every_mention():
    frame = economy.statements()
    facts = cg.load("facts")
    growth = facts[(facts["indicator_id"] == "economy.growth_rate") & (facts["kind"] == "actual")
                   & (facts["year"] == 2021)]
    got = frame[frame["indicator_id"] == "economy.growth_rate"]
    assert list(got["quote"]) == list(growth.sort_values("mention")["quote"])
    assert set(got["qualifier"].fillna("none")) == set(growth["qualifier"].fillna("none"))
    for lang, word in (("vi", "trên"), ("en", "above")):
        text = economy.statements_note(lang=lang)
        assert word in text and got.iloc[0][f"name_{lang}"] in text


def test_other_figures_cover_the_rest_of_the_tables():
    frame = economy.other_figures()
    catalog = cg.catalog()
    ids = set(catalog[catalog["table"].isin(economy.TABLES)]["indicator_id"]) - economy.SHOWN_IDS
    assert set(frame["indicator_id"]) == ids & set(cg.load("facts")["indicator_id"])
    assert not set(frame["indicator_id"]) & economy.SHOWN_IDS


def test_texts_in_both_languages():
    row = economy.targets().set_index("indicator_id").loc["economy.production_value"]
    for lang in ("vi", "en"):
        summary = economy.summary_text(lang=lang)
        assert format_value(row["attainment"], "percent", lang, 1) in summary
        assert format_money_short(row["actual"], lang) in summary
        assert format_value(row["stated_attainment"], "percent", lang) in summary
        note = economy.production_note(lang=lang)
        assert format_money_short(row["implied_plan"], lang) in note
        sown = economy.sown_note(lang=lang)
        assert format_value(_fact("agriculture.fallow_area")["value"], "ha", lang) in sown
        assert economy.structure_total_note(lang=lang).endswith(".")
    assert economy.summary_text(lang="vi") != economy.summary_text(lang="en")
    vi, en = (format_value(row["attainment"], "percent", lang, 1) for lang in ("vi", "en"))
    assert vi != en and vi not in economy.summary_text(lang="en")  # decimal comma vs point


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"economy.production_value"}, {"target"}, derived=True)
    drop_facts(data_dir, {"agriculture.fallow_area", "economy.structure_share.handicrafts"}, derived=True)
    frame = economy.targets(data_dir=data_dir).set_index("indicator_id")
    row = frame.loc["economy.production_value"]
    assert math.isnan(row["target"]) and math.isnan(row["attainment"]) and row["status"] == "not_reported"
    assert not math.isnan(row["implied_plan"])  # still implied by the stated attainment
    assert math.isnan(economy.structure(data_dir=data_dir)["share"].iloc[1])
    sown = economy.sown_area(data_dir=data_dir).set_index("key")
    assert math.isnan(sown.loc["sown_parts_fallow", "value"]) and not math.isnan(sown.loc["sown_parts_sum", "value"])
    assert math.isnan(economy.farming(data_dir=data_dir).set_index("indicator_id").loc["agriculture.fallow_area",
                                                                                       "value"])
    for lang in ("vi", "en"):
        not_reported = present.t("not_reported", lang)
        assert not_reported in economy.summary_text(data_dir=data_dir, lang=lang)
        assert economy.production_note(data_dir=data_dir, lang=lang) == economy.TEXT["production_note_missing"][lang]
        assert economy.sown_note(data_dir=data_dir, lang=lang) == economy.TEXT["sown_note_missing"][lang]
        for chart in (economy.attainment_chart, economy.structure_chart, economy.sown_chart, economy.prior_chart):
            plt.close(chart(data_dir=data_dir, lang=lang))


def test_tables_and_charts_render_in_both_languages():
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in (("targets", economy.targets()), ("structure", economy.structure()),
                             ("sown", economy.sown_area()), ("farming", economy.farming()),
                             ("statements", economy.statements()), ("other", economy.other_figures())):
            markup = present.show_table(frame.to_dict("records"), economy.columns(ctx, which), ctx)
            assert markup.count("<tr>") == len(frame) + 1
        markup = present.show_table(economy.targets().to_dict("records"), economy.columns(ctx, "targets"), ctx)
        assert format_value(economy.targets()["attainment"].iloc[0], "percent", lang, 1) in markup
        assert economy.heading("h_targets", lang) == f"<h2>{economy.TEXT['h_targets'][lang]}</h2>"
        bars = economy.attainment_bars()
        assert list(bars["basis"]).count("stated") == economy.targets()["stated_attainment"].notna().sum()
        for chart in (economy.attainment_chart, economy.structure_chart, economy.sown_chart, economy.prior_chart):
            plt.close(chart(lang=lang))
    with pytest.raises(ValueError):
        economy.columns(present.context(), "nope")


def test_compare_with_a_previous_year(tmp_path):
    root = two_years(tmp_path)
    frame = economy.compare(2022, 2021, root)
    now = economy.actuals(2022, root).set_index("indicator_id")["value"]
    before = economy.actuals(2021, root).set_index("indicator_id")["value"]
    for row in frame.to_dict("records"):
        assert row["previous"] == before[row["indicator_id"]] or math.isnan(row["previous"])
        if not math.isnan(now[row["indicator_id"]]):
            assert row["change"] == pytest.approx(now[row["indicator_id"]] - before[row["indicator_id"]])
    ctx = present.context(2022, "en", root)
    assert ctx.compare_year == 2021
    present.show_table(frame.to_dict("records"), economy.columns(ctx, "compare"), ctx)
    # A changed figure gives its change; a rate's change is in percentage points.
    previous = economy.actuals().copy()
    previous.loc[previous["indicator_id"] == "economy.growth_rate", "value"] = 6.0
    out = economy.compare_frames(economy.actuals(), previous).set_index("indicator_id")
    assert out.loc["economy.growth_rate", "change"] == pytest.approx(_fact("economy.growth_rate")["value"] - 6.0)
    assert out.loc["economy.growth_rate", "change_unit"] == "pp"
