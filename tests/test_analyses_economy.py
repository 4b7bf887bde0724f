"""camgiang_data.analyses.economy: every value recomputed here from the facts, the missing-data path, both
languages (the words, tables and charts: `show = present.reports.economy`)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import economy
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present.reports import economy as show
from camgiang_data.topical import assess_target

from .conftest import drop_facts, two_years

# what a sentence must not say of a missing figure
MISSING_FORMS = {"vi": ["không có số liệu/không có số liệu", "= không có số liệu", "đạt không có số liệu",
                        "(tính): không có số liệu", "chỉ tiêu không có số liệu (", " : "],
                 "en": ["not reported/not reported", "= not reported", "says not reported",
                        "(computed): not reported", "not reported of the", " : "]}


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
        assert row["year"] == 2021
    production = frame.loc["economy.production_value"]
    stated = _fact("economy.production_value", kind="plan_attainment")["value"]
    assert production["stated_attainment"] == stated
    assert production["implied_plan"] == pytest.approx(production["actual"] * 100 / stated)
    # The report's own figures do not give the attainment it states (the audit's finding).
    assert abs(production["attainment"] - stated) > 1 and production["attainment_agrees"] is False
    assert frame.loc["economy.growth_rate", "attainment_agrees"] is None  # no stated attainment
    assert frame.loc["economy.growth_rate", "gap_unit"] == "pp"


def test_formulas_handle_missing_and_zero():
    assert math.isnan(economy.attainment(float("nan"), 10)) and math.isnan(economy.attainment(5, 0))
    assert economy.attainment(5, 10) == 50
    assert math.isnan(economy.implied_plan(5, None)) and economy.implied_plan(50, 50) == 100
    assert math.isnan(economy.total([1, float("nan")])) and economy.total([1, 2]) == 3
    assert math.isnan(economy.difference(None, 1)) and economy.difference(3, 1) == 2
    assert economy.change_unit("percent") == "pp" and economy.change_unit("ha") == "ha"
    assert economy.agrees(98.3, 98.34, 0.05) is True and economy.agrees(90.5, 98.3, 0.05) is False
    assert economy.agrees(float("nan"), 98.3, 0.05) is None


def test_structure_shares_are_the_stated_ones():
    frame = economy.structure()
    assert list(frame["indicator_id"]) == economy.STRUCTURE_IDS
    for row in frame.to_dict("records"):
        assert row["share"] == _fact(row["indicator_id"])["value"]
        assert row["label_vi"] and ":" not in row["label_vi"] and row["label_en"][0].isupper()
    assert economy.shares_sum(frame) == pytest.approx(sum(_fact(i)["value"] for i in economy.STRUCTURE_IDS))


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
    assert frame.loc["sown_parts_fallow", "tolerance"] == pytest.approx(0.15)  # three figures printed to 0.1 ha
    assert economy.sown_total_reading(frame.reset_index()) == "parts_fallow"


@pytest.mark.parametrize("total, reading, key", [(234.4, "parts", "sown_note_parts"),
                                                 (250.0, "neither", "sown_note_neither")])
def test_a_total_that_is_another_sum_is_said_so(total, reading, key):
    """The 2021 remark (the total counts the unsown fields) is made only where the figures show it."""
    frame = economy.sown_area()
    frame.loc[frame["key"] == economy.SOWN_TOTAL_ID, "value"] = total
    frame.loc[frame["key"] == "sown_unexplained", "value"] = total - frame.set_index("key").loc["sown_parts_sum",
                                                                                               "value"]
    assert economy.sown_total_reading(frame) == reading
    for lang in ("vi", "en"):
        text = show.sown_text(frame, lang)
        assert text.startswith(show.TEXT[key][lang][:30]) and format_value(total, "ha", lang) in text
        assert show.TEXT["sown_note"][lang][-40:] not in text


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
    prior = economy.prior_values(frame.reset_index())
    assert list(prior["indicator_id"]) == [i for i in economy.FARMING_IDS if not math.isnan(frame.loc[i, "prior"])]
    assert set(economy.prior_values(frame.reset_index(), "ha")["unit"]) == {"ha"}


def test_statements_quote_every_mention():
    frame = economy.statements()
    facts = cg.load("facts")
    growth = facts[(facts["indicator_id"] == "economy.growth_rate") & (facts["kind"] == "actual")
                   & (facts["year"] == 2021)]
    got = frame[frame["indicator_id"] == "economy.growth_rate"]
    assert list(got["quote"]) == list(growth.sort_values("mention")["quote"])
    assert set(got["qualifier"].fillna("none")) == set(growth["qualifier"].fillna("none"))
    assert [g["indicator_id"].iloc[0] for g in economy.differing_statements(frame)] == ["economy.growth_rate"]
    for lang, word in (("vi", "trên"), ("en", "above")):
        text = show.statements_text(frame, lang)
        assert word in text and got.iloc[0][f"name_{lang}"] in text


def test_other_figures_cover_the_rest_of_the_tables():
    frame = economy.other_figures()
    catalog = cg.catalog()
    ids = set(catalog[catalog["table"].isin(economy.TABLES)]["indicator_id"]) - economy.SHOWN_IDS
    assert set(frame["indicator_id"]) == ids & set(cg.load("facts")["indicator_id"])
    assert not set(frame["indicator_id"]) & economy.SHOWN_IDS


def test_texts_in_both_languages():
    targets = economy.targets()
    row = targets.set_index("indicator_id").loc["economy.production_value"]
    for lang in ("vi", "en"):
        summary = show.summary_text(targets, lang)
        assert format_value(row["attainment"], "percent", lang, 1) in summary
        assert format_money_short(row["actual"], lang) in summary
        assert format_value(row["stated_attainment"], "percent", lang) in summary
        note = show.production_text(targets, lang)
        assert format_money_short(row["implied_plan"], lang) in note
        sown = show.sown_text(economy.sown_area(), lang)
        assert format_value(_fact("agriculture.fallow_area")["value"], "ha", lang) in sown
        assert show.structure_total_text(economy.structure(), lang).endswith(".")
    assert show.summary_text(targets, "vi") != show.summary_text(targets, "en")
    vi, en = (format_value(row["attainment"], "percent", lang, 1) for lang in ("vi", "en"))
    assert vi != en and vi not in show.summary_text(targets, "en")  # decimal comma vs point


def _texts(data_dir, lang):
    """Every sentence of the page built from the frames of `data_dir` (alt texts and captions included)."""
    targets, farming = economy.targets(data_dir=data_dir), economy.farming(data_dir=data_dir)
    texts = [show.summary_text(targets, lang), show.production_text(targets, lang),
             show.statements_text(economy.statements(data_dir=data_dir), lang),
             show.structure_total_text(economy.structure(data_dir=data_dir), lang),
             show.sown_text(economy.sown_area(data_dir=data_dir), lang)]
    for chart in (show.attainment_chart(targets, lang), show.prior_chart(farming, lang)):
        if chart is not None:
            plt.close(chart.fig)
            texts += [chart.alt, chart.caption or ""]
    return texts


def test_missing_figures_show_as_not_reported(data_dir):
    drop_facts(data_dir, {"economy.production_value"}, {"target"}, derived=True)
    drop_facts(data_dir, {"agriculture.fallow_area", "economy.structure_share.handicrafts"}, derived=True)
    frame = economy.targets(data_dir=data_dir).set_index("indicator_id")
    row = frame.loc["economy.production_value"]
    assert math.isnan(row["target"]) and math.isnan(row["attainment"]) and row["status"] == "not_reported"
    assert not math.isnan(row["implied_plan"])  # still implied by the stated attainment
    assert math.isnan(economy.structure(data_dir=data_dir)["share"].iloc[1])
    sown = economy.sown_area(data_dir=data_dir)
    by_key = sown.set_index("key")
    assert math.isnan(by_key.loc["sown_parts_fallow", "value"]) and not math.isnan(by_key.loc["sown_parts_sum", "value"])
    assert economy.sown_total_reading(sown) is None
    farming = economy.farming(data_dir=data_dir)
    assert math.isnan(farming.set_index("indicator_id").loc["agriculture.fallow_area", "value"])
    for lang in ("vi", "en"):
        not_reported = present.t("not_reported", lang)
        targets = economy.targets(data_dir=data_dir)
        assert not_reported in show.summary_text(targets, lang)
        assert show.production_text(targets, lang) == show.TEXT["production_note_missing"][lang]
        assert show.sown_text(sown, lang) == show.TEXT["sown_note_missing"][lang]
        assert show.structure_total_text(economy.structure(data_dir=data_dir), lang) == \
            show.TEXT["structure_total_missing"][lang]
        for chart in (show.attainment_chart(targets, lang), show.structure_chart(economy.structure(data_dir=data_dir),
                                                                                   lang),
                      show.sown_chart(sown, 2021, lang), show.prior_chart(farming, lang)):
            plt.close(chart.fig)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sentences_read_naturally_when_figures_are_missing(data_dir, lang):
    """With the headline figures, a share and the derived areas gone, no sentence says "= not reported", "not
    reported/not reported", "the report says not reported" or puts "not reported" after an empty label."""
    drop_facts(data_dir, {"economy.production_value", "economy.growth_rate"}, {"target", "plan_attainment"},
               derived=True)
    drop_facts(data_dir, {"economy.income_per_capita", "economy.structure_share.handicrafts",
                          "agriculture.fallow_area", "agriculture.fish_farming_area"}, derived=True)
    for text in _texts(data_dir, lang):
        for form in MISSING_FORMS[lang]:
            assert form not in text, (form, text)
    targets = economy.targets(data_dir=data_dir)
    ending = {"vi": "(chỉ tiêu không có số liệu).", "en": "(target not reported)."}[lang]
    assert show.summary_text(targets, lang).endswith(ending)  # production: neither attainment, no "= …"
    chart = show.attainment_chart(targets, lang)  # no stated attainment left: no orange bar to speak of
    plt.close(chart.fig)
    assert chart.alt == show.TEXT["attainment_alt_computed"][lang]
    assert show.prior_chart(economy.farming(data_dir=data_dir), lang) is None


def test_the_2021_wordings_of_the_charts_stay():
    for lang in ("vi", "en"):
        chart = show.prior_chart(economy.farming(), lang)
        plt.close(chart.fig)
        assert chart.alt == show.TEXT["prior_alt"][lang]
        chart = show.attainment_chart(economy.targets(), lang)
        plt.close(chart.fig)
        assert (chart.alt, chart.caption) == (show.TEXT["attainment_alt"][lang], show.TEXT["attainment_caption"][lang])


def test_a_summary_without_the_stated_attainment(data_dir):
    drop_facts(data_dir, {"economy.production_value"}, {"plan_attainment"}, derived=True)
    targets = economy.targets(data_dir=data_dir)
    row = targets.set_index("indicator_id").loc["economy.production_value"]
    for lang in ("vi", "en"):
        text = show.summary_text(targets, lang)
        assert format_value(row["attainment"], "percent", lang, 1) in text
        assert present.t("not_reported", lang) not in text


def test_no_other_figure(data_dir):
    drop_facts(data_dir, {"economy.market_fee_exemption_duration"}, derived=True)
    assert economy.other_figures(data_dir=data_dir).empty
    report = present.report("economy", 2021, "vi", data_dir)
    show.other_section(report, economy.other_figures(data_dir=data_dir))


def test_no_repeated_statement(data_dir):
    frame = economy.statements(data_dir=data_dir, indicator_ids=[])
    assert frame.empty
    for lang in ("vi", "en"):
        assert show.statements_text(frame, lang) == show.TEXT["statements_none"][lang]


def test_tables_and_charts_render_in_both_languages():
    frames = {"targets": economy.targets(), "structure": economy.structure(), "sown": economy.sown_area(),
              "farming": economy.farming(), "statements": economy.statements(), "other": economy.other_figures()}
    for lang in ("vi", "en"):
        ctx = present.context(lang=lang)
        for which, frame in frames.items():
            rows, columns = getattr(show, f"{which}_table")(frame, lang)
            markup = present.show_table(rows, columns, ctx)
            assert markup.count("<tr>") == len(frame) + 1
            assert present.t("not_reported", lang) not in [r[f"name_{lang}"] for r in rows]
        markup = present.show_table(*show.targets_table(frames["targets"], lang), ctx)
        assert format_value(frames["targets"]["attainment"].iloc[0], "percent", lang, 1) in markup
        assert show.TEXT["sown_parts_sum"][lang] in present.show_table(*show.sown_table(frames["sown"], lang), ctx)
        bars = economy.attainment_bars(frames["targets"])
        assert list(bars["basis"]).count("stated") == frames["targets"]["stated_attainment"].notna().sum()
        for chart in (show.attainment_chart(frames["targets"], lang), show.structure_chart(frames["structure"], lang),
                      show.sown_chart(frames["sown"], 2021, lang), show.prior_chart(frames["farming"], lang)):
            plt.close(chart.fig)


def test_sections_show_on_a_report():
    report = present.report("economy", 2021, "en")
    show.targets_section(report, economy.targets())
    show.farming_section(report, economy.farming())
    show.compare_section(report, None)


def test_compare_with_a_previous_year(tmp_path):
    root = two_years(tmp_path)
    frame = economy.compare(2022, 2021, root)
    now = economy.actuals(2022, root).set_index("indicator_id")["value"]
    before = economy.actuals(2021, root).set_index("indicator_id")["value"]
    for row in frame.to_dict("records"):
        assert row["previous"] == before[row["indicator_id"]] or math.isnan(row["previous"])
        if not math.isnan(now[row["indicator_id"]]):
            assert row["change"] == pytest.approx(now[row["indicator_id"]] - before[row["indicator_id"]])
    report = present.report("economy", 2022, "en", root)
    assert report.compare_year == 2021
    rows, columns = show.compare_table(frame, report)
    assert [h for _, h, _ in columns][1:3] == ["2022", "2021"]
    present.show_table(rows, columns, report.ctx)
    # A changed figure gives its change; a rate's change is in percentage points.
    previous = economy.actuals().copy()
    previous.loc[previous["indicator_id"] == "economy.growth_rate", "value"] = 6.0
    out = economy.compare_frames(economy.actuals(), previous).set_index("indicator_id")
    assert out.loc["economy.growth_rate", "change"] == pytest.approx(_fact("economy.growth_rate")["value"] - 6.0)
    assert out.loc["economy.growth_rate", "change_unit"] == "pp"
