"""camgiang_data.analyses.poverty: rates, derived previous-year rates and the near-poor contradiction, the review
counts, the target as households; the missing-data path, a second year, both languages."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

import camgiang_data as cg
from camgiang_data.analyses import poverty
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import poverty as show

from .conftest import drop_facts, read_rows, two_years, write_rows

YEAR = 2021
RATES = [f"poverty.{m}_rate.{c}" for m in ("poor", "near_poor") for c in ("old", "new")]


def fact(indicator_id, kind="actual", year=YEAR, data_dir=None, section=None):
    facts = cg.load("facts", YEAR, data_dir)
    rows = facts[(facts["indicator_id"] == indicator_id) & (facts["year"] == year) & (facts["kind"] == kind)]
    if section is not None:
        rows = rows[rows["section"] == section]
    rows = rows.sort_values(["basis", "mention"], ascending=[False, True])
    return None if rows.empty else rows.iloc[0]


# ------------------------------------------------------------------------------------------------ values

def test_rates_changes_and_prior_rates_come_from_the_facts():
    frame = poverty.rates(YEAR)
    assert list(frame["indicator_id"]) == RATES
    for row in frame.to_dict("records"):
        rate, change = fact(row["indicator_id"])["value"], fact(row["indicator_id"], "change")["value"]
        assert row["rate"] == rate and row["change"] == change
        prior = fact(row["indicator_id"], year=YEAR - 1)
        assert prior["basis"] == "derived" and row["prior_basis"] == "derived"
        assert row["prior_rate"] == pytest.approx(rate - change)
        assert row["prior_rate"] == pytest.approx(prior["value"])
    hh = dict(zip(frame["indicator_id"], frame["households"]))
    assert hh["poverty.poor_rate.new"] == fact("poverty.poor_households.new")["value"]
    assert math.isnan(hh["poverty.poor_rate.old"])  # the report counts households only for the new criterion


def test_prior_rates_agree_for_poor_and_contradict_for_near_poor():
    prior = poverty.prior_rates(YEAR).set_index("measure")
    for measure in ("poor", "near_poor"):
        old = fact(f"poverty.{measure}_rate.old")["value"] - fact(f"poverty.{measure}_rate.old", "change")["value"]
        new = fact(f"poverty.{measure}_rate.new")["value"] - fact(f"poverty.{measure}_rate.new", "change")["value"]
        assert prior.loc[measure, "old"] == pytest.approx(old)
        assert prior.loc[measure, "new"] == pytest.approx(new)
        assert prior.loc[measure, "difference"] == pytest.approx(new - old)
        assert prior.loc[measure, "agrees"] == (abs(new - old) <= prior.loc[measure, "tolerance"] + 1e-9)
    assert prior.loc["poor", "agrees"] and not prior.loc["near_poor", "agrees"]
    # the audit's rule finds the same contradiction
    findings = cg.load("findings")
    assert "poverty.prior_near_poor_rate_old_vs_new" in set(findings["rule_id"])
    assert "poverty.prior_poor_rate_old_vs_new" not in set(findings["rule_id"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_contradiction_text_shows_both_derived_values(lang):
    prior = poverty.prior_rates(YEAR)
    texts = show.prior_texts(prior, lang)
    near = prior[prior["measure"] == "near_poor"].iloc[0]
    contradiction = texts[1]
    assert format_value(near["old"], "percent", lang) in contradiction
    assert format_value(near["new"], "percent", lang) in contradiction
    assert near["old_quote"] in contradiction and near["new_quote"] in contradiction
    assert ("mâu thuẫn" if lang == "vi" else "contradicts") in contradiction


def test_survey_counts_give_the_stated_rates():
    frame = poverty.survey(YEAR).set_index("measure")
    base = fact("poverty.surveyed_households")["value"]
    for measure in ("poor", "near_poor"):
        count_row = fact(f"poverty.{measure}_households.new")
        stated = fact(f"poverty.{measure}_rate.new", section=count_row["section"])["value"]
        assert frame.loc[measure, "households"] == count_row["value"]
        assert frame.loc[measure, "base"] == base
        assert frame.loc[measure, "computed_rate"] == pytest.approx(100 * count_row["value"] / base)
        assert frame.loc[measure, "stated_rate"] == stated
        assert frame.loc[measure, "agrees"]


def test_target_as_households_is_change_times_base_over_100():
    frame = poverty.target_households(YEAR)
    assert len(frame) == 1
    row = frame.iloc[0]
    target = fact("poverty.poor_rate.new", "target_change", YEAR + 1)
    base = fact("poverty.surveyed_households")["value"]
    exact = abs(target["value"]) * base / 100
    assert row["change"] == target["value"] and row["qualifier"] == target["qualifier"]
    assert row["households_exact"] == pytest.approx(exact)
    assert row["households"] == math.floor(exact + 0.5)
    assert row["households_min"] == math.ceil(exact)
    assert row["rounded_pp"] == pytest.approx(100 * row["households"] / base)
    assert row["target_rate"] == pytest.approx(fact("poverty.poor_rate.new")["value"] + target["value"])


def test_round_half_up():
    assert poverty.round_half_up(5.5) == 6 and poverty.round_half_up(5.164) == 5 and poverty.round_half_up(2.5) == 3


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_target_text_states_the_formula_and_the_rounding(lang):
    frame = poverty.target_households(YEAR)
    row = frame.iloc[0]
    text = show.target_texts(frame, YEAR, lang)[0]
    assert format_value(row["households_exact"], "households", lang, 2, with_unit=False) in text
    assert format_value(row["base"], "households", lang, with_unit=False) in text
    assert ("làm tròn" if lang == "vi" else "rounded") in text
    assert ("× tổng số hộ ÷ 100" if lang == "vi" else "× households ÷ 100") in text


# ------------------------------------------------------------------------------------------ missing data

def test_missing_base_leaves_rates_and_target_households_not_reported(data_dir):
    drop_facts(data_dir, {"poverty.surveyed_households"}, derived=True)
    survey = poverty.survey(YEAR, data_dir)
    assert survey["computed_rate"].isna().all() and survey["agrees"].isna().all()
    targets = poverty.target_households(YEAR, data_dir)
    assert math.isnan(targets.iloc[0]["households_exact"]) and math.isnan(targets.iloc[0]["households"])
    for lang, missing in (("vi", "không có số liệu"), ("en", "not reported")):
        assert missing not in summary(lang, data_dir)  # the fractions and the households are left out
        text = show.target_texts(targets, YEAR, lang)[0]
        assert ("thiếu tổng số hộ" if lang == "vi" else "not reported") in text
        rows, columns = show.survey_table(survey, lang)
        cells = [fmt(r[k], r) for r in rows for k, _, fmt in columns if fmt is not None]
        assert missing in cells
        assert len(show.survey_texts(survey, YEAR, lang)) == 3


def test_missing_change_leaves_no_prior_rate(data_dir):
    drop_facts(data_dir, {"poverty.near_poor_rate.new"}, {"change"}, derived=True)
    rates = poverty.rates(YEAR, data_dir).set_index("indicator_id")
    assert math.isnan(rates.loc["poverty.near_poor_rate.new", "change"])
    assert math.isnan(rates.loc["poverty.near_poor_rate.new", "prior_rate"])
    prior = poverty.prior_rates(YEAR, data_dir).set_index("measure")
    assert prior.loc["near_poor", "agrees"] is None
    assert "không đủ số liệu" in show.prior_texts(prior.reset_index(), "vi")[1]
    assert "not enough figures" in show.prior_texts(prior.reset_index(), "en")[1]
    chart = show.rates_chart(poverty.rates(YEAR, data_dir), "en")
    assert "not reported" in chart.alt
    plt.close(chart.fig)


def test_no_target(data_dir):
    drop_facts(data_dir, {"poverty.poor_rate.new"}, {"target_change"}, derived=True)
    frame = poverty.target_households(YEAR, data_dir)
    assert frame.empty
    assert "không nêu mục tiêu" in show.target_texts(frame, YEAR, "vi")[0]
    assert "sets no poverty-rate target" in show.target_texts(frame, YEAR, "en")[0]
    assert "none stated" in summary("en", data_dir)


# the forms a sentence takes when it is handed a missing figure as if it were one
BROKEN = ("không có số liệu/", "/không có số liệu", "= không có số liệu", "không quá không có số liệu",
          "khoảng không có số liệu", "not reported/", "/not reported", "= not reported", "at most not reported",
          "about not reported", "states not reported", "ghi không có số liệu", " : ", "“”")


def page_texts(lang, data_dir):
    """Every sentence the page shows (summary, intro, notes; not the table cells), from the frames."""
    rates = poverty.rates(YEAR, data_dir)
    review = poverty.survey(YEAR, data_dir)
    targets = poverty.target_households(YEAR, data_dir)
    prior = poverty.prior_rates(YEAR, data_dir)
    return ([show.summary_text(rates, review, targets, lang), show.intro(YEAR, rates, lang),
             show.prior_formula_text(YEAR, lang)] + show.prior_texts(prior, lang)
            + show.survey_texts(review, YEAR, lang) + show.target_texts(targets, YEAR, lang))


@pytest.mark.parametrize("ids, kinds", [
    ({"poverty.poor_households.new", "poverty.near_poor_households.new"}, None),  # the review's counts
    ({"poverty.poor_households.new", "poverty.near_poor_households.new", "poverty.surveyed_households"}, None),
    ({"poverty.surveyed_households"}, None),
    ({f"poverty.{m}_rate.{c}" for m in ("poor", "near_poor") for c in ("old", "new")}, {"actual"}),  # the rates
    ({f"poverty.{m}_rate.{c}" for m in ("poor", "near_poor") for c in ("old", "new")}
     | {"poverty.poor_households.new", "poverty.near_poor_households.new", "poverty.surveyed_households"}, None),
])
def test_missing_figures_leave_no_broken_sentence(data_dir, ids, kinds):
    """Known before: 'Hộ nghèo: không có số liệu/không có số liệu = không có số liệu' when the review's counts are
    missing, 'khoảng không có số liệu hộ' in the summary, 'không quá không có số liệu (= không có số liệu − …)'."""
    drop_facts(data_dir, ids, kinds, derived=True)
    for lang in ("vi", "en"):
        texts = page_texts(lang, data_dir)
        for text in texts:
            assert not [form for form in BROKEN if form in text], text
    review = poverty.survey(YEAR, data_dir)
    if review["computed_rate"].isna().all():  # the report's remark on the review holds only where it is borne out
        assert "Theo báo cáo" not in " ".join(page_texts("vi", data_dir))


def test_the_2021_sentences_keep_the_reports_remarks():
    vi = " ".join(page_texts("vi", None))
    assert "Báo cáo viết mức thay đổi bằng “%”" in vi and "Theo báo cáo, đợt điều tra rà soát" in vi
    assert "Mục tiêu không nêu theo tiêu chí nào" in vi and "không quá 1,62%" in vi
    assert "(tiêu chí mới, 47/2.582 hộ)" in vi


def test_a_target_without_a_qualifier_reads_without_one():
    targets = poverty.target_households(YEAR)
    plain = targets.assign(qualifier=None)
    for lang in ("vi", "en"):
        text = show.target_texts(plain, YEAR, lang)[0]
        assert "“”" not in text and format_value(1.62, "percent", lang) in text
        assert "“”" not in show.target_texts(plain.assign(rate=float("nan")), YEAR, lang)[0]


def test_a_target_that_sets_the_rate_is_a_target_not_none(data_dir):
    """A report may set the rate itself ("dưới 1,2%") rather than its fall: it is shown, as households."""
    path = data_dir / str(YEAR) / "facts.csv"
    rows = read_rows(path)
    for r in rows:
        if r["indicator_id"] == "poverty.poor_rate.new" and r["kind"] == "target_change":
            r["kind"], r["value"], r["unit"], r["qualifier"] = "target", "0.2", "percent", "below"
    write_rows(path, rows)
    frame = poverty.target_households(YEAR, data_dir)
    row = frame.iloc[0]
    base = fact("poverty.surveyed_households")["value"]
    assert row["kind"] == "target" and row["target_rate"] == 0.2 and math.isnan(row["change"])
    assert row["households_exact"] == pytest.approx(0.2 * base / 100) and row["households"] == 5
    for lang, word in (("vi", "dưới 0,2%"), ("en", "below 0.2%")):
        text = show.target_texts(frame, YEAR, lang)[0]
        assert word in text and "5,16" in text.replace(".", ",") and not [f for f in BROKEN if f in text]
        assert word in summary(lang, data_dir)
        missing_base = frame.assign(base=float("nan"), households_exact=float("nan"), households=float("nan"))
        assert word in show.target_texts(missing_base, YEAR, lang)[0]


# ------------------------------------------------------------------------------------------ comparison

def test_compare_with_a_second_year(tmp_path):
    root = two_years(tmp_path)
    facts_2022 = root / "2022" / "facts.csv"  # the later year does not report the old-criterion poor rate
    rows = read_rows(facts_2022)
    write_rows(facts_2022, [r for r in rows if not (r["indicator_id"] == "poverty.poor_rate.old"
                                                   and r["kind"] == "actual")], list(rows[0]))
    derivations = root / "2022" / "derivations.csv"
    rows = read_rows(derivations)
    write_rows(derivations, [r for r in rows if "poverty.poor_rate.old@" not in r["inputs"]], list(rows[0]))
    frame = poverty.compare(2022, 2021, root).set_index("indicator_id")
    assert math.isnan(frame.loc["poverty.poor_rate.old", "rate"])
    assert frame.loc["poverty.poor_rate.old", "compare_rate"] == fact("poverty.poor_rate.old")["value"]
    assert math.isnan(frame.loc["poverty.poor_rate.old", "change"])
    assert frame.loc["poverty.poor_rate.new", "change"] == 0
    for lang in ("vi", "en"):
        rows, columns = show.compare_table(frame.reset_index(), lang)
        assert len(rows) == 4 and columns[3][1] == ("Thay đổi" if lang == "vi" else "Change")


def summary(lang, data_dir=None):
    """The one-line summary from the frames it is made of."""
    return show.summary_text(poverty.rates(YEAR, data_dir), poverty.survey(YEAR, data_dir),
                             poverty.target_households(YEAR, data_dir), lang)


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_has_the_headline_numbers(lang):
    text = summary(lang)
    for ident in ("poverty.poor_rate.new", "poverty.near_poor_rate.new", "poverty.poor_rate.old"):
        assert format_value(fact(ident)["value"], "percent", lang) in text
    assert format_value(fact("poverty.surveyed_households")["value"], "households", lang, with_unit=False) in text


def test_tables_and_chart_in_both_languages():
    rates = poverty.rates(YEAR)
    for lang, word in (("vi", "Hộ cận nghèo"), ("en", "Near-poor households")):
        rows, columns = show.rates_table(rates, lang)
        assert any(r["measure_label"] == word for r in rows)
        assert str(YEAR - 1) in columns[4][1]
        chart = show.rates_chart(rates, lang)
        assert chart.caption  # the two different near-poor 2020 values are explained
        assert format_value(fact("poverty.near_poor_rate.new", year=YEAR - 1)["value"], "percent", lang) in chart.alt
        plt.close(chart.fig)
        assert show.intro(YEAR, rates, lang) != show.intro(YEAR, rates, "en" if lang == "vi" else "vi")
