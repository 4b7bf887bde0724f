"""The corpus (tests/corpus/): every report in every form it is read in, scored against its truth.

A wrong figure fails here: precision is 100 % on every report and form. Recall is held to at least 95 % on the
reports of the 2021 town's template (.txt, .docx and .pdf alike); the other communes' recall is stated in the
README and held to the floors measured, so that a change that loses figures is seen.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("extraction_quality", ROOT / "bench" / "extraction_quality.py")
quality = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = quality
_spec.loader.exec_module(quality)

TOWN_RECALL = 0.95  # the bar for the 2021 town's template
# Measured (bench/extraction_quality.py --corpus-only): Cẩm Hưng 0,610 (2022 and 2023), Cẩm Vũ 0,725, Tân Trường
# 0,655, Lương Điền 0,569; the floors sit a little under them.
OTHER_FLOORS = {"cam_hung_2022": 0.58, "cam_hung_2023": 0.58, "cam_vu_2022": 0.70, "tan_truong_2022": 0.62,
                "luong_dien_2022": 0.54}


@pytest.fixture(scope="module")
def scores():
    return quality.measure_corpus()


def test_every_report_and_form_is_scored(scores):
    entries = quality._builder().manifest()
    assert {(c.entry.name, c.format) for c in scores} == {(e.name, f) for e in entries for f in e.formats}
    assert len({e.name for e in entries}) >= 8 and {"txt", "docx", "pdf"} <= {c.format for c in scores}


def test_no_wrong_figure_in_any_report_or_form(scores):
    wrong = [f"{c.entry.name} ({c.format}): {w}" for c in scores for w in c.score.wrong]
    assert wrong == [], "wrong fills:\n" + "\n".join(wrong)


def test_the_town_template_is_read_to_95_percent_in_every_form(scores):
    low = [(c.entry.name, c.format, round(c.score.recall, 3)) for c in scores
           if c.entry.town_template and c.score.recall < TOWN_RECALL]
    assert low == [], f"under {TOWN_RECALL}: {low}"


def test_the_other_communes_keep_their_measured_recall(scores):
    low = [(c.entry.name, c.format, round(c.score.recall, 3)) for c in scores
           if not c.entry.town_template and c.score.recall < OTHER_FLOORS[c.entry.name]]
    assert low == [], low
