"""`camgiang run --collection DIR`: every unit's reports, and a page comparing the units' core indicators."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from camgiang_data.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
UNITS = {"cam_hung": "xã Cẩm Hưng", "cam_vu": "xã Cẩm Vũ", "tan_truong": "xã Tân Trường"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def stated(folder: Path, year: int = 2022) -> list[dict]:
    """The figures a unit's own report gave (filled, not carried in from another year)."""
    with (folder / str(year) / "facts.csv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["value"] and not r["source_year"]]


def fake_unit(folder: Path, name: str, year: int = 2022) -> None:
    """Enough of a unit for the collection's checks made before anything is built."""
    (folder / str(year)).mkdir(parents=True)
    (folder / str(year) / "facts.csv").write_text("indicator_id,year,kind,value\n", encoding="utf-8")
    (folder / str(year) / "source.json").write_text(json.dumps({"unit": {"name": name, "type": "xã"}}),
                                                    encoding="utf-8")


SECOND = Path(__file__).resolve().parent / "collection"  # the 2023 reports written for this test


def _accept_first_candidate(review: Path) -> int:
    """Mark the first candidate of the first row that has one, as an analyst does in a spreadsheet."""
    with review.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    marked = 0
    for row in rows:
        if row.get("candidate_1") and not marked:
            row["accept"], marked = "1", 1
    with review.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return marked


def _type_figure(review: Path, indicator: str, written: str, quote: str) -> None:
    """Type a figure the extraction left missing, with its sentence, as an analyst does in a spreadsheet."""
    with review.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    [row] = [r for r in rows if r["indicator_id"] == indicator and r["kind"] == "actual" and r["mention"] == "1"]
    row["as_written"], row["quote"] = written, quote
    with review.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """Three communes, two years each, in their own wording: started with `camgiang init` from their 2022 report
    (Cẩm Hưng's as a Word file), an analyst's review applied (a candidate accepted, a figure typed), then 2023 added
    with new-year and extract."""
    from tests.corpus import build

    col = tmp_path_factory.mktemp("collection") / "units"
    col.mkdir()
    word = col.parent / "cam_hung_2022.docx"
    word.write_bytes(build.docx_bytes((CORPUS / "cam_hung_2022.txt").read_text(encoding="utf-8")))
    first = {"cam_hung": word, "cam_vu": CORPUS / "cam_vu_2022.txt", "tan_truong": CORPUS / "tan_truong_2022.txt"}
    second = {"cam_hung": CORPUS / "cam_hung_2023.txt", "cam_vu": SECOND / "cam_vu_2023.txt",
              "tan_truong": SECOND / "tan_truong_2023.txt"}
    for key in UNITS:
        result = run("init", col / key, "--report", first[key], "--year", 2022)
        assert result.exit_code == 0, result.output
        if key == "cam_vu":
            assert _accept_first_candidate(col / key / "2022" / "review.csv") == 1
        if key == "cam_hung":  # the households, which the first extraction leaves to the analyst
            _type_figure(col / key / "2022" / "review.csv", "culture.cultural_family_base_households", "3.205",
                         "có 2.870/3.205 hộ đạt gia đình văn hóa")
        result = run("apply-review", "--year", 2022, "--data-dir", col / key)
        assert result.exit_code == 0, result.output
        assert run("new-year", 2023, "--data-dir", col / key).exit_code == 0
        result = run("extract", second[key], "--year", 2023, "--data-dir", col / key)
        assert result.exit_code == 0, result.output
    return col


@pytest.fixture(scope="module")
def built(collection) -> tuple[Path, str]:
    out = collection.parent / "out"
    result = run("run", "--collection", collection, "--year", 2022, "--lang", "vi", "--out", out)
    assert result.exit_code == 0, result.output
    return out, result.output


def compare_page(out: Path, year: int = 2022, lang: str = "vi") -> str:
    return (out / "compare" / str(year) / lang / "index.html").read_text(encoding="utf-8")


def row_cells(page: str, name: str) -> list[str]:
    """The cells of the comparison row of the indicator called `name`."""
    match = re.search(r"<tr><th>" + re.escape(html.escape(name)) + r"</th>(.*?)</tr>", page)
    assert match, f"no row {name!r}"
    return [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))]


@pytest.mark.slow
def test_every_unit_is_built_with_one_line_each_and_a_summary(built):
    out, output = built
    for key in UNITS:
        pages = sorted((out / key / "2022" / "vi").glob("*.html"))
        assert len(pages) > 5 and (out / key / "2022" / "vi" / "index.html") in pages
        assert len(re.findall(rf"\[\d/3\] {key} \({re.escape(UNITS[key])}\): \d+ ok, 0 failed", output)) == 1
        assert re.search(rf"^{key}\s+{re.escape(UNITS[key])}\s+\d+\s+0\s+0\s+-\s+0$", output, re.M), output
    assert "3 of 3 units built for 2022" in output
    pages = sum(int(n) for n in re.findall(r"\): (\d+) ok, 0 failed", output))
    assert f"\nkernels: {pages} forked from the warm template" in output  # one template served every unit


@pytest.mark.slow
def test_each_units_pages_name_only_that_unit(built):
    out, _ = built
    for key, name in UNITS.items():
        others = [n for k, n in UNITS.items() if k != key]
        for path in (out / key / "2022" / "vi").glob("*.html"):
            text = html.unescape(path.read_text(encoding="utf-8"))
            if path.name == "index.html":
                assert name in text, path
            assert not [o for o in others if o in text], path
        assert name in html.unescape((out / key / "2022" / "vi" / "index.html").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_comparison_holds_every_unit_and_its_core_figures(built, collection):
    import camgiang_data as cg
    from camgiang_data.present.fmt import format_value

    out, _ = built
    page = compare_page(out)
    text = html.unescape(page)
    assert all(name in text for name in UNITS.values())
    catalog = cg.catalog().set_index("indicator_id")
    growth = row_cells(page, catalog.loc["economy.growth_rate", "name_vi"])
    lacking = None
    for i, key in enumerate(UNITS):
        facts = cg.load("facts", 2022, collection / key)
        first = facts[(facts["indicator_id"] == "economy.growth_rate") & (facts["kind"] == "actual")
                      & (facts["basis"] == "stated") & (facts["mention"] == 1)]
        assert growth[i] == format_value(first["value"].iloc[0], "percent", "vi")
        # every core figure the unit states is in its column, formatted as the reports format it
        ids = {r["indicator_id"] for r in stated(collection / key) if r["kind"] == "actual"}
        for indicator in sorted(ids & set(catalog.index[catalog["scope"] == "core"]))[:8]:
            firsts = facts[(facts["indicator_id"] == indicator) & (facts["kind"] == "actual")
                           & (facts["basis"] == "stated") & (facts["mention"] == 1)]
            cells = row_cells(page, catalog.loc[indicator, "name_vi"])
            assert cells[i] == format_value(firsts["value"].iloc[0], catalog.loc[indicator, "unit"], "vi")
        others = set.union(*({r["indicator_id"] for r in stated(collection / k) if r["kind"] == "actual"}
                             for k in UNITS if k != key))
        gap = sorted((others - ids) & set(catalog.index[catalog["scope"] == "core"]))
        if gap and lacking is None:
            lacking = (i, catalog.loc[gap[0], "name_vi"])
    assert lacking, "every unit states the same core figures: nothing to show as missing"
    assert row_cells(page, lacking[1])[lacking[0]] == "không có số liệu"
    assert html.unescape(page).count("Chỉ tiêu kế hoạch đạt") == 1
    # the links lead to each unit's own index, which exists
    for href in re.findall(r'<a href="([^"]+)"', page):
        assert (out / "compare" / "2022" / "vi" / href).resolve().is_file(), href


def test_amounts_per_household_where_a_unit_states_its_households(built, collection):
    """Budget revenue ÷ the unit's households (the poverty review's base, else the cultural-family base), in
    whole đồng; a unit that states no households gets 'not reported', never a guessed base."""
    import camgiang_data as cg
    from camgiang_data import numbers

    out, _ = built
    page = compare_page(out)
    section = page.split("<h2>Bình quân mỗi hộ</h2>", 1)[1].split("</table>", 1)[0]
    name = cg.catalog().set_index("indicator_id").loc["budget.revenue.total", "name_vi"]
    cells = row_cells(section, name)
    shown = 0
    for i, key in enumerate(UNITS):
        facts = cg.load("facts", 2022, collection / key)
        actual = facts[(facts["kind"] == "actual") & (facts["year"] == 2022) & facts["value"].notna()]
        actual = actual.assign(derived=actual["basis"] != "stated").sort_values(["derived", "mention"], kind="stable")
        first = actual.drop_duplicates("indicator_id").set_index("indicator_id")["value"]
        base = next((first[b] for b in ("poverty.surveyed_households", "culture.cultural_family_base_households")
                     if b in first and first[b]), None)
        if base is None or "budget.revenue.total" not in first:
            assert cells[i] == "không có số liệu"
        else:
            assert cells[i] == f"{numbers.format_number(round(first['budget.revenue.total'] / base), 'vi', 0)} đồng/hộ"
            shown += 1
    assert shown >= 1


@pytest.mark.slow
def test_the_comparison_page_asks_for_nothing_outside(built):
    out, _ = built
    page = compare_page(out)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<script" not in page.lower() and "@import" not in page and "url(" not in page
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 4 and all(src.startswith("data:image/png;base64,") for src in images)


def test_no_figure_of_one_unit_is_in_anothers_folder(collection):
    rows = {key: stated(collection / key) for key in UNITS}
    for key in UNITS:
        own = {(r["indicator_id"], r["kind"], r["value"], r["quote"]) for r in rows[key]}
        assert len(own) >= 20
        for other in UNITS:
            if other != key:
                theirs = {(r["indicator_id"], r["kind"], r["value"], r["quote"]) for r in rows[other]}
                assert not own & theirs, (key, other, sorted(own & theirs)[:3])
    growth = {key: next(r["value"] for r in rows[key] if r["indicator_id"] == "economy.growth_rate") for key in UNITS}
    assert len(set(growth.values())) == len(UNITS), growth


def test_a_unit_without_the_year_is_listed_missing(collection, tmp_path):
    partial = tmp_path / "units"
    shutil.copytree(collection, partial)
    for key in ("cam_vu", "tan_truong"):
        shutil.rmtree(partial / key / "2023")
    out = tmp_path / "out2023"
    result = run("run", "--collection", partial, "--year", 2023, "--only", "economy", "--out", out)
    assert result.exit_code == 0, result.output
    assert "MISSING cam_vu: no data for 2023 (has 2022)" in result.output
    assert "MISSING tan_truong" in result.output and "MISSING cam_hung" not in result.output
    assert (out / "cam_hung" / "2023" / "vi" / "economy.html").is_file()
    assert not (out / "cam_vu").exists() and not (out / "tan_truong").exists()
    text = html.unescape(compare_page(out, 2023))
    assert "Không có số liệu năm 2023: xã Cẩm Vũ, xã Tân Trường" in text and "xã Cẩm Hưng" in text


def test_an_unchanged_collection_reads_nothing_again_and_a_changed_file_reads_all(collection, tmp_path, monkeypatch):
    """Incremental like a single run: with no unit's inputs changed, the comparison is not made again (no unit's
    figures read); a changed file of one unit makes it again, from every unit, to the same page."""
    from camgiang_data.runner import collection as module

    col = tmp_path / "units"
    shutil.copytree(collection, col)
    out = tmp_path / "out"
    args = ("run", "--collection", col, "--year", 2023, "--only", "economy", "--out", out)
    assert run(*args).exit_code == 0
    page = compare_page(out, 2023)
    calls = []
    real = module.unit_figures
    monkeypatch.setattr(module, "unit_figures", lambda *a: calls.append(a[0].key) or real(*a))
    result = run(*args)
    assert result.exit_code == 0 and "3 of 3 units built" in result.output and calls == []
    facts = col / "cam_vu" / "2023" / "facts.csv"
    rows = list(csv.DictReader(facts.open(encoding="utf-8")))
    [growth] = [r for r in rows if r["indicator_id"] == "economy.growth_rate" and r["kind"] == "actual"
                and r["mention"] == "1"]
    before = html.unescape(page)
    growth["note"] = "checked by hand"  # a change of the data, not of a figure: every unit is read again
    with facts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert run(*args).exit_code == 0
    assert sorted(calls) == sorted(UNITS) and html.unescape(compare_page(out, 2023)) == before


def test_a_unit_with_errors_is_listed_and_the_others_built(collection, tmp_path):
    col = tmp_path / "units"
    for key in ("cam_vu", "tan_truong"):
        shutil.copytree(collection / key, col / key)
    facts = col / "tan_truong" / "2022" / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    facts.write_text(text.replace(first, first.replace(",2022,", ",20x2,", 1), 1), encoding="utf-8")
    result = run("run", "--collection", col, "--year", 2022, "--only", "economy", "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "ERRORS tan_truong" in result.output and "facts.csv" in result.output
    assert re.search(r"^tan_truong\s+xã Tân Trường\s+0\s+0\s+0\s+-\s+[1-9]", result.output, re.M), result.output
    assert (tmp_path / "out" / "cam_vu" / "2022" / "vi" / "economy.html").is_file()
    assert not (tmp_path / "out" / "tan_truong" / "2022" / "vi" / "economy.html").exists()
    text = html.unescape(compare_page(tmp_path / "out"))
    assert "xã Cẩm Vũ" in text and "không đưa vào so sánh: xã Tân Trường" in text


def test_the_same_unit_twice_is_refused(tmp_path):
    fake_unit(tmp_path / "units" / "hung_a", "xã Cẩm Hưng")
    fake_unit(tmp_path / "units" / "hung_b", "Xã  Cẩm Hưng")
    fake_unit(tmp_path / "units" / "vu", "xã Cẩm Vũ")
    result = run("run", "--collection", tmp_path / "units", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "distinct" in result.output and "hung_a" in result.output and "hung_b" in result.output
    assert "/vu" not in result.output and not (tmp_path / "out").exists()


def test_an_empty_collection_is_refused(tmp_path):
    (tmp_path / "units" / "notes").mkdir(parents=True)
    (tmp_path / "units" / "notes" / "2022").mkdir()  # a year folder without facts.csv is no unit
    result = run("run", "--collection", tmp_path / "units", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "holds no unit" in result.output, result.output
    assert not (tmp_path / "out").exists()
    result = run("run", "--collection", tmp_path / "nothing", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "is not a folder" in result.output


def test_collection_and_data_dir_together_are_refused(tmp_path):
    fake_unit(tmp_path / "units" / "vu", "xã Cẩm Vũ")
    result = run("run", "--collection", tmp_path / "units", "--data-dir", tmp_path / "units" / "vu")
    assert result.exit_code == 2 and "cannot be used together" in result.output
