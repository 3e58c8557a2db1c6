"""Quality of the default playbook on held-out phrasings, as written and garbled.

heldout.tsv was written apart from the playbook and the development set: every
objection id at least five times in varied registers, and look-alikes that are
not objections. The figures are computed as bench/matcher_eval.py prints them.
"""

from pathlib import Path

import pytest

from app.paths import default_playbook_dir
from app.playbooks.loader import load_playbook
from app.playbooks.matcher import Matcher
from app.playbooks.model import OBJECTION_IDS
from bench.matcher_eval import Figures, garbled_rows, read_rows, score_rows

HELDOUT = Path(__file__).with_name("heldout.tsv")
MIN_MACRO_F1 = 0.85
MAX_FALSE_ALARMS = 0.05


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_playbook(default_playbook_dir()))


def test_heldout_covers_every_objection() -> None:
    counts: dict[str, int] = {}
    for category, _ in read_rows(HELDOUT):
        counts[category] = counts.get(category, 0) + 1
    assert set(counts) == set(OBJECTION_IDS) | {"none"}
    assert min(counts[category] for category in OBJECTION_IDS) >= 5
    assert counts["none"] >= 30


@pytest.mark.parametrize("style", ["written", "recognizer"])
def test_heldout_figures(matcher: Matcher, style: str) -> None:
    rows = read_rows(HELDOUT)
    if style == "recognizer":
        rows = garbled_rows(rows)
    figures: Figures = score_rows(matcher, rows)
    misses = "\n".join(figures.misses)
    assert figures.macro_f1 >= MIN_MACRO_F1, misses
    assert figures.false_alarms <= MAX_FALSE_ALARMS, misses
