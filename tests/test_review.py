"""The review loop to the end: extract writes review.csv, the analyst accepts candidates or types a figure with
its sentence, apply-review fills facts.csv after checking each row as provenance does, validate is clean. A review
edited into nonsense is refused row by row, and nothing of it is applied."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

import camgiang_data as cg
from camgiang_data.cli import main
from camgiang_data.numbers import parse_quantity

from .conftest import YEAR, read_rows

NEW = YEAR + 1
REPORTS = Path(__file__).resolve().parent / "extraction_reports"


def cli(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def read_review(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a spreadsheet program opens the Vietnamese right
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def write_review(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))  # as a spreadsheet saves "CSV UTF-8"


def truth(name: str) -> dict[tuple, float]:
    with (REPORTS / f"{name}.truth.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["indicator_id"], int(r["year"]), r["kind"], int(r["mention"])): float(r["value"])
                for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The packaged data, 2022 started and extracted from test report b (the most reworded: much to review)."""
    import shutil

    root = tmp_path_factory.mktemp("review") / "data"
    shutil.copytree(cg.DEFAULT_DATA_DIR, root)
    assert cli("new-year", NEW, "--data-dir", root)[0] == 0
    code, output = cli("extract", REPORTS / "report_2022_b.txt", "--year", NEW, "--data-dir", root)
    assert code == 0, output
    return root, output


@pytest.fixture
def data(extracted, tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(extracted[0], root)
    return root


def _key(row: dict) -> tuple:
    return row["indicator_id"], int(row["year"]), row["kind"], int(row["mention"])


def _signed(row: dict, n: int) -> float:
    value = parse_quantity(row[f"candidate_{n}"]).value
    if row["kind"] in ("change", "target_change"):
        before = row[f"quote_{n}"][:row[f"quote_{n}"].find(row[f"candidate_{n}"])].lower()
        value = -value if before.rfind("giảm") > before.rfind("tăng") else value
    return value


def test_the_review_loop_runs_to_the_end(data, extracted):
    review_path = data / str(NEW) / "review.csv"
    rows = read_review(review_path)
    assert rows and {r["status"] for r in rows} <= {"missing", "conflict"}
    assert "NEXT: open 2022/review.csv" in extracted[1]
    expected = truth("report_2022_b")
    accepted = {}
    for row in rows:  # the analyst: a candidate whose number is the report's figure (checked against the truth)
        want = expected.get(_key(row))
        for n in (1, 2, 3):
            if want is not None and row[f"candidate_{n}"] and math.isclose(_signed(row, n), want, rel_tol=1e-9):
                row["accept"] = str(n)
                accepted[_key(row)] = want
                break
    assert len(accepted) >= 5, "the candidates should hold some of the missing figures"
    write_review(review_path, rows)
    code, output = cli("apply-review", "--year", NEW, "--data-dir", data)
    assert code == 0, output
    assert f"{len(accepted)} figure(s) filled" in output and "0 error(s)" in output
    facts = cg.load("facts", NEW, data)
    for (indicator, year, kind, mention), value in accepted.items():
        row = facts[(facts.indicator_id == indicator) & (facts.year == year) & (facts.kind == kind)
                    & (facts.mention == mention)]
        assert math.isclose(float(row["value"].iloc[0]), value, rel_tol=1e-9)
    # run again: nothing new, nothing refused
    code, output = cli("apply-review", "--year", NEW, "--data-dir", data)
    assert code == 0 and "0 figure(s) filled" in output and f"{len(accepted)} already there" in output


def test_a_figure_typed_with_its_sentence_is_filled(data):
    review_path = data / str(NEW) / "review.csv"
    rows = read_review(review_path)
    row = next(r for r in rows if r["status"] == "missing" and r["unit"] == "VND" and r["kind"] == "actual"
               and r["candidate_1"])
    row["as_written"], row["quote"] = row["candidate_1"], row["quote_1"]  # typed by hand, not accepted
    write_review(review_path, rows)
    code, output = cli("apply-review", "--year", NEW, "--data-dir", data)
    assert code == 0 and "1 figure(s) filled" in output, output


def _spoil(rows: list[dict], how: str) -> int:
    """Edit the review into nonsense one way; returns the line of the spoilt row."""
    i = next(i for i, r in enumerate(rows) if r["candidate_1"])
    row = rows[i]
    if how == "words not in the sentence":
        row["as_written"], row["quote"] = "999.999đ", row["quote_1"]
    elif how == "sentence not in the report":
        row["as_written"], row["quote"] = row["candidate_1"], "Một câu không có trong báo cáo " + row["candidate_1"]
    elif how == "unknown indicator":
        row["accept"], row["indicator_id"] = "1", "budget.revenue.totl"
    elif how == "duplicated row":
        row["accept"] = "1"
        rows.append(dict(row))
        return len(rows) + 1
    elif how == "a candidate that does not exist":
        row["accept"] = "3" if not row["candidate_3"] else "7"
    elif how == "accept and typed both":
        row["accept"], row["as_written"] = "1", row["candidate_1"]
    return i + 2


@pytest.mark.parametrize("how, column", [("words not in the sentence", "as_written"),
                                         ("sentence not in the report", "quote"),
                                         ("unknown indicator", "indicator_id"),
                                         ("duplicated row", "indicator_id"),
                                         ("a candidate that does not exist", "accept"),
                                         ("accept and typed both", "as_written")])
def test_a_review_edited_into_nonsense_applies_nothing(data, how, column):
    review_path = data / str(NEW) / "review.csv"
    rows = read_review(review_path)
    good = next(i for i, r in enumerate(rows[::-1]) if r["candidate_1"])  # one good row too: still not applied
    rows[len(rows) - 1 - good]["accept"] = "1"
    line = _spoil(rows, how)
    write_review(review_path, rows)
    before = (data / str(NEW) / "facts.csv").read_bytes()
    code, output = cli("apply-review", "--year", NEW, "--data-dir", data)
    assert code == 1
    assert f"{NEW}/review.csv, row {line}, column '{column}'" in output, output
    assert "nothing was applied" in output
    assert (data / str(NEW) / "facts.csv").read_bytes() == before


def test_apply_review_without_a_review_says_what_to_do(data):
    (data / str(NEW) / "review.csv").unlink()
    code, output = cli("apply-review", "--year", NEW, "--data-dir", data)
    assert code == 1 and "camgiang extract" in output


def test_review_rows_cover_every_missing_figure(data, extracted):
    rows = read_review(data / str(NEW) / "review.csv")
    filled = read_rows(data / str(NEW) / "facts.csv")
    empty = {(r["indicator_id"], int(r["year"]), r["kind"], int(r["mention"])) for r in filled
             if not r["value"] and not r["as_written"]}
    reviewed = {_key(r) for r in rows}
    # every figure of the 2021 report that extraction left empty is there to review (a row not filled yet that
    # last year's report did not state either has nothing to show)
    stated_2021 = {(r["indicator_id"], int(r["year"]) + 1, r["kind"], int(r["mention"]))
                   for r in read_rows(data / str(YEAR) / "facts.csv")}
    assert (empty & stated_2021) <= reviewed
