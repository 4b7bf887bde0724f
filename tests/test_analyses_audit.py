"""camgiang_data.analyses.audit: counts, findings and derived figures against the library's own checks; data with
missing rows and with errors; a second year; both languages."""

from __future__ import annotations

import re

import pytest

import camgiang_data as cg
from camgiang_data import present
from camgiang_data.analyses import audit
from camgiang_data.derive import FORMULAS
from camgiang_data.paths import DEFAULT_DATA_DIR
from camgiang_data.present.fmt import format_value
from camgiang_data.present.reports import audit as show

from .conftest import drop_facts, read_rows, two_years

YEAR = 2021


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------------------------------------ values

def test_counts_match_the_data():
    c = audit.counts(YEAR)
    facts = cg.load("facts")
    assert c["stated figures"] == (facts["basis"] == "stated").sum() == len(read_rows(
        DEFAULT_DATA_DIR / str(YEAR) / "facts.csv"))
    assert c["derived figures"] == (facts["basis"] == "derived").sum() == len(read_rows(
        DEFAULT_DATA_DIR / str(YEAR) / "derivations.csv"))
    assert c["indicators"] == len(cg.catalog())
    assert c["findings"] == len(cg.load("findings"))
    assert c["errors"] == 0
    import tomllib
    assert c["rules"] == sum(len(tomllib.loads((DEFAULT_DATA_DIR / name).read_text(encoding="utf-8"))["rule"])
                             for name in ("rules.toml", "rules.local.toml"))


def test_findings_are_the_findings_table_with_their_sentences():
    frame = audit.findings(YEAR)
    table = cg.load("findings")
    assert list(frame["rule_id"]) == list(table["rule_id"])
    assert list(frame["number"]) == list(range(1, len(table) + 1))
    for col in ("stated", "computed", "difference", "tolerance"):
        assert list(frame[col]) == pytest.approx(list(table[col]))
    source = normalise((DEFAULT_DATA_DIR / str(YEAR) / "source.txt").read_text(encoding="utf-8"))
    for row, quotes in zip(frame.to_dict("records"), table["quotes"]):
        assert [q for q, _ in row["sentences"]] == quotes.split(" | ")
        for quote, section in row["sentences"]:
            assert normalise(quote) in source and section
    units = dict(zip(frame["rule_id"], frame["unit"]))
    assert units["economy.production_value_attainment"] == "percent"
    assert units["agriculture.sown_area_parts"] == "ha"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_findings_table_shows_stated_and_computed_with_qualifiers(lang):
    frame = audit.findings(YEAR)
    rows, columns = show.findings_table(frame, lang)
    assert len(rows) == len(frame)
    by_rule = {r["rule_id"]: r for r in rows}
    row = by_rule["culture.cultural_family_rate"]
    assert row["stated_text"].startswith("trên " if lang == "vi" else "above ")
    # the computed value is shown to three decimals where it has them, so 92.928 is not shown as 93
    computed = float(frame.loc[frame["rule_id"] == "culture.cultural_family_rate", "computed"].iloc[0])
    assert format_value(computed, "percent", lang, 3) in row["computed_text"]
    assert [h for _, h, _ in columns][1] == ("Quy tắc" if lang == "vi" else "Rule")
    rows, columns = show.sentences_table(frame, lang)
    width = max(len(s) for s in frame["sentences"])
    assert len(columns) == 2 + width
    assert all(f"s{width - 1}" in r for r in rows)


def test_derived_figures_recomputed_from_their_inputs():
    frame = audit.derived(YEAR)
    assert len(frame) == len(read_rows(DEFAULT_DATA_DIR / str(YEAR) / "derivations.csv"))
    for row in frame.to_dict("records"):
        values = [i["value"] for i in row["inputs"]]
        assert row["value"] == pytest.approx(FORMULAS[row["formula"]].compute(*values))
        assert row["quote"] and row["section"]
    for lang in ("vi", "en"):
        rows, columns = show.derived_table(frame, lang)
        assert len(rows) == len(frame)
        assert all(f"[{f}]" in r["formula"] for r, f in zip(rows, frame["formula"]))


def test_formula_and_kind_texts_in_both_languages():
    for name in FORMULAS:
        assert show.formula_text(name, "vi") != show.formula_text(name, "en")
    assert show.formula_text("unknown_formula", "vi") == "unknown_formula"
    assert show.kind_text("change", "vi") == "thay đổi" and show.kind_text("change", "en") == "change"


# ------------------------------------------------------------------------------------------ missing data, errors

def test_missing_figures_make_a_rule_not_apply(data_dir):
    drop_facts(data_dir, {"public_order.cases.received.injury"})
    c = audit.counts(YEAR, data_dir)
    assert c["errors"] == 0
    assert c["stated figures"] == audit.counts(YEAR)["stated figures"] - 1
    assert "public_order.cases_outcome.injury" not in set(audit.findings(YEAR, data_dir)["rule_id"])
    assert c["findings"] == audit.counts(YEAR)["findings"] - 1


def test_data_with_errors_is_audited_not_crashed(data_dir):
    drop_facts(data_dir, {"poverty.poor_rate.old"})  # a derivation now lacks its input: an error
    with pytest.raises(cg.DataError):
        cg.load("findings", YEAR, data_dir)
    c = audit.counts(YEAR, data_dir)
    errors = audit.errors(YEAR, data_dir)
    assert c["errors"] == len(errors) > 0
    for lang in ("vi", "en"):
        assert str(len(errors)) in show.errors_text(errors, lang)
        rows, columns = show.errors_table(errors, lang)
        assert len(rows) == len(errors) and all(isinstance(v, str) for r in rows for v in r.values())
        assert format_value(c["errors"], "count", lang) in show.summary_text(c, YEAR, lang)
    assert len(audit.derived(YEAR, data_dir)) == c["derived figures"]
    assert len(audit.findings(YEAR, data_dir)) == c["findings"]


def test_missing_figures_leave_no_broken_sentence(data_dir):
    drop_facts(data_dir, {"poverty.poor_rate.old", "public_order.cases.received.injury"})  # an error, a rule less
    c, errors = audit.counts(YEAR, data_dir), audit.errors(YEAR, data_dir)
    derived = audit.derived(YEAR, data_dir)
    for lang in ("vi", "en"):
        texts = [show.summary_text(c, YEAR, lang), show.intro(YEAR, lang), show.errors_text(errors, lang)]
        rows, _ = show.derived_table(derived, lang)
        texts += [r["inputs"] for r in rows] + [r["quote"] for r in rows]
        for text in texts:
            assert not [f for f in ("= không có số liệu", "= not reported", "“”", "(mục )", "(section )",
                                    "None", "nan") if f in text], text


# ------------------------------------------------------------------------------------------ comparison

def test_compare_counts_with_a_second_year(tmp_path):
    root = two_years(tmp_path)
    drop_facts(root, {"public_order.cases.received.injury"}, year=2022)
    frame = audit.compare(2022, 2021, root).set_index("key")
    assert frame.loc["stated figures", "change"] == -1
    assert frame.loc["rules", "change"] == 0
    for key in ("derived figures", "findings", "errors"):
        assert frame.loc[key, "change"] == audit.counts(2022, root)[key] - audit.counts(2021, root)[key]
    assert frame.loc["findings", "compare_value"] == len(cg.validate(2021, root).findings)
    for lang in ("vi", "en"):
        rows, columns = show.compare_table(frame.reset_index(), lang)
        assert rows[0]["label"] == ("Số liệu nêu trong báo cáo" if lang == "vi" else "Stated figures")


# ------------------------------------------------------------------------------------------ text, both languages

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_and_counts_table(lang):
    c = audit.counts(YEAR)
    text = show.summary_text(c, YEAR, lang)
    for key in ("stated figures", "derived figures", "rules", "findings"):
        assert format_value(c[key], "count", lang) in text
    rows, columns = show.counts_table(c, lang)
    assert [r["value"] for r in rows] == list(c.values())
    assert rows[4]["label"] == ("Lỗi dữ liệu (phải bằng 0)" if lang == "vi" else "Data errors (should be 0)")
    assert show.errors_text(audit.errors(YEAR), lang) == show.TEXT["errors_none"][lang]
    report = present.report("audit", YEAR, lang)
    assert report.heading("h_findings") == f"<h2>{show.TEXT['h_findings'][lang]}</h2>"
