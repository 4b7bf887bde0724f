"""Measure: recall and precision of `camgiang_data.ingest.engine` on the hand-made test reports.

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

The corpus (``tests/corpus/``, listed in its ``manifest.csv``) is scored the same way, with the keys learnt on the
2021 report: three more 2022 reports of the town written afresh in its template, and reports of invented
neighbouring communes with wording habits of their own (templates are still the town's 2021 report: there is no
earlier report of theirs, so their recall is low and only stated). Each report is scored as its .txt and as every
other form the manifest names (.docx, .pdf), made by ``tests/corpus/build.py`` in a temporary folder and read
back through ``camgiang_data.ingest.read_document``, as ``camgiang extract`` reads a report. Each wrong fill is
printed with its whole quote and what it is: a figure the truth does not have, a wrong value, or the right value
under another ``mention`` than the report order gives. The overall figures are given for the town's template and
for the other communes apart.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "extraction_reports"
CORPUS = ROOT / "tests" / "corpus"
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
    wrong_fills: list[dict] = field(default_factory=list)  # each wrong fill in full: key, value, quote, verdict

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


def _verdict(key: tuple, value: float, expected: float | None, truth: dict) -> str:
    """What a wrong fill is: a wrong value, the right value under another mention, or no figure of the truth."""
    if expected is not None:
        return f"wrong value (truth {expected:g})"
    same = [k[3] for k, v in truth.items() if k[:3] == key[:3] and math.isclose(v, value, rel_tol=1e-9, abs_tol=1e-9)]
    if same:
        return f"right value, other mention (the truth has it as mention {', '.join(map(str, sorted(same)))})"
    others = sorted(k[3] for k in truth if k[:3] == key[:3])
    if others:
        return f"not in the truth (that indicator and kind has mention(s) {', '.join(map(str, others))} only)"
    return "not in the truth (the report states no such figure)"


def score(name: str, text: str, truth: dict, year: int = YEAR, with_text: bool = True) -> Score:
    """Run the engine on one report text against the 2021 templates and compare with its truth."""
    from camgiang_data.ingest.matching import extract
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
            out.wrong_fills.append({"key": key, "value": c.value, "as_written": c.as_written, "quote": c.quote,
                                    "truth": expected, "verdict": _verdict(key, c.value, expected, truth)})
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


# --- the corpus: tests/corpus/ (manifest.csv), each report in each of its forms --------------------------------


@dataclass
class CorpusScore:
    entry: object  # tests.corpus.build.Entry
    format: str
    score: Score
    text_note: str = ""  # how the text read back from a .docx/.pdf differs from the .txt, if it does


def _builder():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return sys.modules[spec.name]


def _read_back(build, entry, fmt: str, folder: Path) -> tuple[str, str]:
    """The report's text in `fmt` as `camgiang extract` reads it, and a note where its words differ from the .txt."""
    from camgiang_data.ingest import read_document

    text = read_document(build.write(entry, fmt, folder)).text
    words, source = text.split(), entry.text().split()
    if words == source:
        return text, ""
    return text, f"{fmt} text read back differs from the .txt: {len(words)} words against {len(source)}"


KINDS = ("actual", "target", "plan_attainment", "change", "target_change")


def check_truth(path: Path, year: int) -> list[str]:
    """Problems of a truth file: an id not in the catalogue, an unknown kind, a year not the report's or the next."""
    from camgiang_data.store import read_year

    ids = set(read_year(TEMPLATE_YEAR).catalog["indicator_id"])
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for n, r in enumerate(csv.DictReader(handle), 2):
            if r["indicator_id"] not in ids:
                problems.append(f"{path.name}, row {n}: {r['indicator_id']!r} is not in the catalogue")
            if r["kind"] not in KINDS:
                problems.append(f"{path.name}, row {n}: unknown kind {r['kind']!r}")
            if int(r["year"]) not in (year, year + 1):
                problems.append(f"{path.name}, row {n}: year {r['year']} is neither {year} nor {year + 1}")
            if int(r["mention"]) < 1:
                problems.append(f"{path.name}, row {n}: mention {r['mention']}")
    return problems


def measure_corpus(with_text: bool = True) -> list[CorpusScore]:
    """Score every corpus report in every form its manifest names."""
    build = _builder()
    problems = [p for entry in build.manifest() for p in check_truth(entry.truth_path, entry.year)]
    if problems:
        raise ValueError("truth files with problems:\n" + "\n".join(problems))
    out = []
    with tempfile.TemporaryDirectory(prefix="camgiang-corpus-") as tmp:
        for entry in build.manifest():
            truth = read_truth(entry.truth_path)
            for fmt in entry.formats:
                if fmt == "txt":
                    text, note = entry.text(), ""
                else:
                    text, note = _read_back(build, entry, fmt, Path(tmp))
                s = score(entry.name, text, truth, year=entry.year, with_text=with_text)
                out.append(CorpusScore(entry, fmt, s, note))
    return out


def _overall(label: str, scores: list[Score]) -> tuple:
    truth, found, correct = (sum(getattr(s, a) for s in scores) for a in ("truth", "found", "correct"))
    return (label, "", "", "", truth, found, correct, sum(len(s.wrong) for s in scores), truth - correct,
            sum(s.conflicts for s in scores), f"{correct / truth if truth else 1:.3f}",
            f"{correct / found if found else 1:.3f}", f"{sum(s.seconds for s in scores):.2f} s")


def corpus_table(scores: list[CorpusScore]) -> str:
    rows = [("report", "format", "commune", "template", "truth", "found", "correct", "wrong", "missed",
             "conflicts", "recall", "precision", "time")]
    for c in scores:
        s = c.score
        rows.append((s.name, c.format, c.entry.commune, "town 2021" if c.entry.town_template else "other",
                     s.truth, s.found, s.correct, len(s.wrong), s.truth - s.correct, s.conflicts,
                     f"{s.recall:.3f}", f"{s.precision:.3f}", f"{s.seconds:.2f} s"))
    for label, town in (("overall, town template", True), ("overall, other communes", False)):
        group = [c for c in scores if c.entry.town_template == town]
        rows.append(_overall(f"{label} (.txt)", [c.score for c in group if c.format == "txt"]))
        rows.append(_overall(f"{label} (every form)", [c.score for c in group]))
    rows.append(_overall("overall, corpus (every form)", [c.score for c in scores]))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(v).ljust(w) if i < 4 else str(v).rjust(w) for i, (v, w) in
                               enumerate(zip(r, widths))) for r in rows)


def corpus_wrong_fills(scores: list[CorpusScore]) -> list[str]:
    lines = []
    for c in scores:
        for w in c.score.wrong_fills:
            lines.append(f"WRONG {c.score.name} ({c.format}): {' '.join(map(str, w['key']))} = {w['value']:g} "
                         f"from {w['as_written']!r}: {w['verdict']}\n    quote: {w['quote']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also list the figures each report missed")
    parser.add_argument("--corpus-only", action="store_true", help="score tests/corpus/ only")
    args = parser.parse_args()
    verbose = args.verbose
    if not args.corpus_only:
        _extraction_reports(verbose)
    scores = measure_corpus()
    print(f"\ncorpus (tests/corpus/, keys learnt on the 2021 report; each report as .txt and its other forms)\n"
          f"{corpus_table(scores)}")
    for c in scores:
        if c.text_note:
            print(f"note {c.score.name}: {c.text_note}")
    for line in corpus_wrong_fills(scores):
        print(line)
    if verbose:
        for c in scores:
            for line in c.score.missed:
                print(f"missed {c.score.name} ({c.format}): {line}")


def _extraction_reports(verbose: bool) -> None:
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
