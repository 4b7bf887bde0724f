"""Measure: recall and precision of `camgiang_data.extract` on the hand-made test reports.

    .venv/bin/python bench/extraction_quality.py [--verbose]

Each test report ``tests/extraction_reports/<name>.txt`` is a synthetic 2022 report written by hand from the
2021 text (new numbers, reworded and reordered, figures dropped and added); beside it ``<name>.truth.csv`` lists
the figures a careful reader fills from it (indicator_id, year, kind, mention, value), written from the text and
not by running the engine. The engine runs with the packaged 2021 facts as templates and the 2021 report as
their text (`template_text`); a second table gives the same without that text (keys learnt on the quotes
alone, as `extract` does when called without it). A found figure is *correct* when its (indicator_id, year,
kind, mention) is in the truth with the same value; anything else found is *wrong*.
recall = correct ÷ truth figures, precision = correct ÷ found. Prints one line per report, the total, and every
wrong fill; a measurement, not a test (tests/test_extract.py holds the floors).
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

REPORTS = Path(__file__).resolve().parent.parent / "tests" / "extraction_reports"
TEMPLATE_YEAR, YEAR = 2021, 2022


@dataclass
class Score:
    name: str
    templates: int
    truth: int
    found: int
    correct: int
    conflicts: int
    seconds: float
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.correct / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def read_truth(path: Path) -> dict[tuple[str, int, str, int], float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["indicator_id"], int(r["year"]), r["kind"], int(r["mention"])): float(r["value"])
                for r in csv.DictReader(handle)}


def score(name: str, text: str, truth: dict, year: int = YEAR, with_text: bool = True) -> Score:
    """Run the engine on one report text against the 2021 templates and compare with its truth."""
    from camgiang_data.extract import extract
    from camgiang_data.store import read_year

    last = read_year(TEMPLATE_YEAR)
    start = time.perf_counter()
    result = extract(text, last.facts, last.catalog, year, TEMPLATE_YEAR,
                     template_text=last.source if with_text else None)
    seconds = time.perf_counter() - start
    out = Score(name, len(last.facts), len(truth), len(result.found), 0, len(result.conflicts), seconds)
    hit = set()
    for c in result.found:
        key = (c.indicator_id, c.year, c.kind, c.mention)
        expected = truth.get(key)
        if expected is not None and math.isclose(c.value, expected, rel_tol=1e-9, abs_tol=1e-9):
            out.correct += 1
            hit.add(key)
        else:
            out.wrong.append(f"{' '.join(map(str, key))}: filled {c.value:g} from {c.as_written!r} "
                             f"('{c.quote[:90]}'), truth {'none' if expected is None else f'{expected:g}'}")
    out.missed = [" ".join(map(str, k)) for k in truth if k not in hit]
    return out


def measure(with_text: bool = True) -> list[Score]:
    """Score every test report (read as bytes, decoded as UTF-8: Windows line ends are kept for the engine)."""
    scores = []
    for path in sorted(REPORTS.glob("*.txt")):
        truth = read_truth(path.with_suffix(".truth.csv"))
        scores.append(score(path.stem, path.read_bytes().decode("utf-8"), truth, with_text=with_text))
    return scores


def table(scores: list[Score]) -> str:
    rows = [("report", "templates", "truth", "found", "correct", "wrong", "missed", "conflicts", "recall",
             "precision", "time")]
    for s in scores:
        rows.append((s.name, s.templates, s.truth, s.found, s.correct, len(s.wrong), s.truth - s.correct,
                     s.conflicts, f"{s.recall:.3f}", f"{s.precision:.3f}", f"{s.seconds:.2f} s"))
    truth, found, correct = (sum(getattr(s, a) for s in scores) for a in ("truth", "found", "correct"))
    rows.append(("overall", sum(s.templates for s in scores), truth, found, correct,
                 sum(len(s.wrong) for s in scores), truth - correct, sum(s.conflicts for s in scores),
                 f"{correct / truth if truth else 1:.3f}", f"{correct / found if found else 1:.3f}",
                 f"{sum(s.seconds for s in scores):.2f} s"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in
                               enumerate(zip(r, widths))) for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also list the figures each report missed")
    verbose = parser.parse_args().verbose
    for with_text, title in ((True, "keys learnt on the 2021 report (extract(..., template_text=2021 source))"),
                             (False, "keys learnt on the 2021 quotes alone (extract(...) without template_text)")):
        scores = measure(with_text)
        print(f"\n{title}\n{table(scores)}")
        for s in scores:
            for line in s.wrong:
                print(f"WRONG {s.name}: {line}")
            if verbose:
                for line in s.missed:
                    print(f"missed {s.name}: {line}")


if __name__ == "__main__":
    main()
