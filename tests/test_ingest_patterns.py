"""Declarative patterns (data/patterns.toml), the match step that combines them with the learnt keys, and the
pure merge of figures into facts rows."""

from __future__ import annotations

import pandas as pd
import pytest

from camgiang_data.ingest import engine, merge as merge_module, patterns
from camgiang_data.ingest.engine import Candidate
from camgiang_data.ingest.matching import Sourced, combine, extract
from camgiang_data.store import read_year

EMPTY = pd.DataFrame(columns=["indicator_id", "year", "kind", "mention", "value", "unit", "as_written", "quote"])


@pytest.fixture(scope="module")
def last():
    return read_year(2021)


def read(text: str, last, year: int = 2022) -> dict[tuple, float]:
    """The figures the patterns alone give (no templates)."""
    result = extract(text, EMPTY, last.catalog, year, year - 1, template_text=None)
    return {(c.indicator_id, c.year, c.kind, c.mention): c.value for c in result.found}


# --- the data file ----------------------------------------------------------------------------------------------

def test_every_pattern_names_a_catalogue_indicator_in_its_unit(last):
    units = dict(zip(last.catalog["indicator_id"], last.catalog["unit"]))
    assert patterns.check_against(patterns.load(), units) == []


def test_the_2021_facts_pass_their_own_patterns_vetoes(last):
    """Every stated 2021 figure with a pattern stands in a sentence its pattern allows: the vetoes are not
    tuned against the one report the product was built on."""
    rd = engine._read(last.source)
    folded = patterns.fold_text(rd.text)
    pats = patterns.load()
    by_start = {p.start: p for p in rd.positions}
    checked = 0
    for r in last.facts.to_dict("records"):
        if r["indicator_id"] not in pats.by_id or not isinstance(r["quote"], str):
            continue
        quote_at = rd.text.find(" ".join(r["quote"].split()))
        number_at = rd.text.find(r["as_written"], quote_at)
        pos = by_start.get(number_at)
        if pos is None:
            continue
        c = Candidate(r["indicator_id"], r["year"], r["kind"], 1, r["value"], r["unit"], None, False,
                      r["as_written"], r["quote"], quote_at, at=number_at)
        assert patterns.veto(c, pos, rd, folded, pats, 2021) is None, r
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("toml, message", [
    ({"indicator": [{"id": "x.y", "unit": "percent", "names": ["a"], "kinds": ["level"]}]}, "'kinds'"),
    ({"indicator": [{"id": "x.y", "unit": "furlongs", "names": ["a"], "kinds": ["actual"]}]}, "'unit'"),
    ({"indicator": [{"id": "x.y", "unit": "percent", "names": "a", "kinds": ["actual"]}]}, "'names'"),
    ({"indicator": [{"id": "x.y", "unit": "percent", "names": ["a"], "kinds": ["actual"], "nmes": []}]}, "nmes"),
    ({"indicator": [{"id": "x.y", "unit": "percent", "names": ["a"], "kinds": ["actual"]}] * 2}, "twice"),
])
def test_a_malformed_pattern_is_refused_by_name(toml, message):
    with pytest.raises(patterns.PatternError, match=message):
        patterns.parse(toml)


# --- prose -------------------------------------------------------------------------------------------------------

def test_new_wording_is_read_by_the_names(last):
    found = read("I. KINH TẾ\nTổng thu ngân sách năm 2022 đạt 8.215.337.410 đồng, bằng 104% dự toán.\n"
                 "Tốc độ tăng trưởng kinh tế là 8,9%.\n", last)
    assert found[("budget.revenue.total", 2022, "actual", 1)] == 8215337410
    assert found[("budget.revenue.total", 2022, "plan_attainment", 1)] == 104
    assert found[("economy.growth_rate", 2022, "actual", 1)] == 8.9


def test_a_change_before_the_rate_is_a_change_and_the_level_a_level(last):
    found = read("3. Chính sách xã hội: Tỷ lệ hộ nghèo giảm 1,01% so với năm 2021, giảm còn 1,6%.\n", last)
    assert found[("poverty.poor_rate.new", 2022, "change", 1)] == -1.01
    assert found[("poverty.poor_rate.new", 2022, "actual", 1)] == 1.6
    assert ("poverty.poor_rate.new", 2022, "actual", 2) not in found


def test_the_attainment_of_another_subject_is_not_taken(last):
    """'Nông lâm nghiệp chiếm 18%, đạt 100% KH' opens its own clause: not the production value's."""
    found = read("Giá trị sản xuất 562 tỷ đồng; Nông lâm nghiệp chiếm 18%, đạt 100% KH.\n", last)
    assert found == {("economy.production_value", 2022, "actual", 1): 562e9}


def test_a_name_followed_by_more_words_names_something_else(last):
    assert read("Giá trị sản xuất nông nghiệp 96,4 tỷ đồng.\n", last) == {}


def test_a_part_in_parentheses_is_not_its_whole_but_a_target_there_is_a_target(last):
    found = read("Tổng đàn bò 1.095 con (bò sữa 970 con). Giá trị sản xuất đạt 515 tỷ đồng (kế hoạch 570 tỷ "
                 "đồng, đạt 90,4%).\n", last)
    assert found[("agriculture.livestock.cattle", 2022, "actual", 1)] == 1095
    assert found[("economy.production_value", 2022, "target", 1)] == 570e9
    assert found[("economy.production_value", 2022, "plan_attainment", 1)] == 90.4
    assert 970 not in found.values()


def test_two_numbers_of_one_kind_for_one_name_give_neither(last):
    assert read("Tốc độ tăng trưởng kinh tế 8,5% hoặc 9%.\n", last) == {}


def test_a_unit_that_does_not_fit_is_not_taken(last):
    assert read("Tổng thu ngân sách đạt 104%.\n", last) == {}  # no amount: only an attainment says KH


@pytest.mark.parametrize("sentence, criterion", [
    ("hộ nghèo còn 1,52% (theo chuẩn nghèo đa chiều giai đoạn 2022-2025).", "new"),
    ("hộ nghèo còn 1,52% (theo chuẩn cũ).", "old"),
    ("hộ nghèo còn 1,52%.", "new"),  # 2022: the criterion in force
])
def test_the_poverty_criterion_by_the_words_of_the_sentence(last, sentence, criterion):
    assert read(sentence + "\n", last) == {(f"poverty.poor_rate.{criterion}", 2022, "actual", 1): 1.52}


def test_a_criterion_named_in_parentheses_with_numbers_covers_them_and_sets_the_rest_apart(last):
    found = read("hộ nghèo còn 1,38% giảm 0,25% (theo tiêu chí mới hộ nghèo 1,60%, giảm 0,22%).\n", last)
    assert found[("poverty.poor_rate.old", 2022, "actual", 1)] == 1.38
    assert found[("poverty.poor_rate.new", 2022, "actual", 1)] == 1.6


def test_targets_in_the_tasks_part_are_next_years(last):
    found = read("PHẦN THỨ HAI: NHIỆM VỤ NĂM 2023\nTốc độ tăng trưởng kinh tế từ 10% trở lên; giảm tỷ lệ hộ "
                 "nghèo 0,5%.\n", last)
    assert found[("economy.growth_rate", 2023, "target", 1)] == 10
    assert found[("poverty.poor_rate.new", 2023, "target_change", 1)] == -0.5


# --- tables ------------------------------------------------------------------------------------------------------

TABLE = ("I. KINH TẾ\nTT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %\n"
         "1 | Tổng giá trị sản xuất | Tỷ.đ | 410 | 425,6 | 103,8\n"
         "2 | Tỷ lệ hộ nghèo (chuẩn mới) | % | 2,5 | 2,31 |\n"
         "3 | Tổng chi ngân sách | đồng | | 7.902.655.210 |\n")


def test_a_key_figure_table_fills_target_actual_and_attainment(last):
    result = extract(TABLE, EMPTY, last.catalog, 2022, 2021)
    found = {(c.indicator_id, c.kind): c for c in result.found}
    value = found["economy.production_value", "actual"]
    assert (value.value, value.as_written, value.unit_as_written) == (425.6e9, "425,6", "Tỷ.đ")
    assert value.quote == "1 | Tổng giá trị sản xuất | Tỷ.đ | 410 | 425,6 | 103,8"
    assert found["economy.production_value", "target"].value == 410e9
    assert found["economy.production_value", "plan_attainment"].value == 103.8
    assert found["poverty.poor_rate.new", "actual"].value == 2.31
    assert found["budget.spending.total", "actual"].value == 7902655210
    assert ("budget.spending.total", "target") not in found


def test_the_same_table_flattened_one_cell_per_line_gives_the_same_figures(last):
    flat = "\n".join(cell.strip() for line in TABLE.splitlines() for cell in (line.split("|") if "|" in line
                                                                             else [line]) if cell.strip())
    piped = {(c.indicator_id, c.kind, c.value) for c in extract(TABLE, EMPTY, last.catalog, 2022, 2021).found}
    flattened = {(c.indicator_id, c.kind, c.value) for c in extract(flat, EMPTY, last.catalog, 2022, 2021).found}
    assert flattened and flattened <= piped
    # the budget row lost its empty cell when flattened: it cannot be read with certainty, so it is not
    assert ("budget.spending.total", "actual", 7902655210) not in flattened


# --- combine: one number, one figure; mentions in report order ---------------------------------------------------

def _c(indicator, kind, value, at, year=2022, mention=1):
    return Candidate(indicator, year, kind, mention, value, "percent", None, False, str(value), f"q {at}", at, at=at)


def test_one_number_claimed_by_two_indicators_is_nobodys():
    result = combine([Sourced(_c("a.x", "actual", 5, 10), "learnt"), Sourced(_c("b.y", "actual", 5, 10), "pattern")],
                     [], [], {})
    assert result.found == []
    assert {m["indicator_id"] for m in result.missing} == {"a.x", "b.y"}
    assert all("one number is one figure" in m["reason"] for m in result.missing)


def test_mentions_follow_the_report_order_whatever_last_years_was():
    result = combine([Sourced(_c("a.x", "actual", 5, 90, mention=3), "learnt"),
                      Sourced(_c("a.x", "actual", 5, 20), "pattern"),
                      Sourced(_c("a.x", "actual", 5, 20, mention=2), "learnt")], [], [], {})
    assert [(c.at, c.mention) for c in result.found] == [(20, 1), (90, 2)]


def test_a_statement_fewer_than_last_year_is_listed_missing_after_those_found():
    missing = [{"indicator_id": "a.x", "year": 2022, "kind": "actual", "mention": 2, "reason": "no words"}]
    result = combine([Sourced(_c("a.x", "actual", 5, 20, mention=1), "learnt")], missing, [], {})
    assert [(m["mention"], "1 found here" in m["reason"]) for m in result.missing] == [(2, True)]


def test_a_conflict_settles_when_one_value_is_another_figures_number():
    conflict = ("a.x", "actual", 1, [_c("a.x", "actual", 1.6, 10), _c("a.x", "actual", 1.49, 30)])
    result = combine([Sourced(_c("b.y", "actual", 1.6, 10), "pattern")], [], [conflict], {})
    assert {(c.indicator_id, c.value) for c in result.found} == {("b.y", 1.6), ("a.x", 1.49)}
    assert result.conflicts == []
    unsettled = combine([], [], [conflict], {})
    assert unsettled.found == [] and len(unsettled.conflicts) == 1


# --- merge: rows and figures in, rows out --------------------------------------------------------------------------

FIELDS = ["indicator_id", "year", "kind", "mention", "value", "unit", "qualifier", "estimated", "as_written",
          "unit_as_written", "quote", "section", "source_year", "note"]


def _row(**cells):
    return {k: cells.get(k, "") for k in FIELDS}


def test_merge_fills_adds_and_leaves_a_persons_figure_alone():
    rows = [_row(indicator_id="a.x", year="2022", kind="actual", mention="1"),
            _row(indicator_id="b.y", year="2022", kind="actual", mention="1", value="7", as_written="7",
                 quote="by hand", section="I")]
    figures = [(_c("a.x", "actual", 5.5, 1), "I"), (_c("b.y", "actual", 8, 2), "I"),
               (_c("c.z", "actual", 3, 3), "II"), (_c("d.w", "actual", 1, 4), None)]
    out = merge_module.merge(rows, figures, 2022, FIELDS, {})
    assert [o for o, _, _ in out.placed] == ["filled", "left_alone", "added", "unplaced"]
    assert out.rows[0]["value"] == "5.5" and out.rows[1]["value"] == "7" and out.rows[2]["indicator_id"] == "c.z"
    assert rows[0]["value"] == ""  # the input is not changed: a pure function
    again = merge_module.merge(out.rows, figures[:1], 2022, FIELDS, {})
    assert [o for o, _, _ in again.placed] == ["unchanged"]
    replaced = merge_module.merge(rows, figures[1:2], 2022, FIELDS, {}, overwrite=True)
    assert replaced.placed[0][0] == "overwritten" and replaced.rows[1]["value"] == "8"


def test_merge_puts_a_carried_target_before_this_reports_own():
    rows = [_row(indicator_id="a.x", year="2022", kind="target", mention="1", value="9", as_written="9",
                 quote="last year", section="II", source_year="2021")]
    out = merge_module.merge(rows, [(_c("a.x", "target", 10, 5), "I")], 2022, FIELDS, {})
    assert out.placed[0][0] == "added" and out.rows[1]["mention"] == "2"


def test_merge_keeps_a_tables_unit_cell():
    c = Candidate("a.x", 2022, "actual", 1, 425.6e9, "VND", None, False, "425,6", "1 | x | Tỷ.đ | 425,6", 0,
                  unit_as_written="Tỷ.đ", at=12)
    out = merge_module.merge([], [(c, "I")], 2022, FIELDS, {})
    assert out.rows[0]["unit_as_written"] == "Tỷ.đ" and out.rows[0]["value"] == "425600000000"


def test_a_pattern_of_an_indicator_the_unit_lacks_gives_it_no_figure(last):
    """The patterns serve every unit's catalogue: a commune without a credit fund among its indicators gets no
    credit-fund figure (merging one would add a row its catalogue refuses), while its own figures stay."""
    text = ("Quỹ tín dụng nhân dân: tổng nguồn vốn đạt 85,2 tỷ đồng. "
            "Tốc độ tăng trưởng kinh tế đạt 7,5%.")
    full = read(text, last)
    assert full[("credit_fund.total_capital", 2022, "actual", 1)] == 85.2e9
    core = last.catalog[last.catalog["scope"] == "core"]
    result = extract(text, EMPTY, core, 2022, 2021, template_text=None)
    got = {(c.indicator_id, c.kind): c.value for c in result.found}
    assert ("credit_fund.total_capital", "actual") not in got
    assert got[("economy.growth_rate", "actual")] == 7.5
    assert all(m["indicator_id"] in set(core["indicator_id"]) for m in result.missing)
