"""Time the matcher per partial-result update and the playbook load.

Usage: python bench/matcher_speed.py [TSV]

Every utterance of TSV is fed word by word, as a streaming recognizer's partial
results grow, and each ``Matcher.match`` call is timed. Runs with the default
playbook and with a generated 500-card playbook (the default cards copied with
varied triggers, so most copies compete for every input: a pessimistic case).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.playbooks.loader import load_playbook  # noqa: E402
from app.playbooks.matcher import Matcher  # noqa: E402
from app.playbooks.model import Playbook  # noqa: E402

DEFAULT_TSV = REPO.parent / "shared" / "data" / "utterances_dev.tsv"
FILLERS = ["really", "honestly", "basically", "right now", "at the moment", "sadly"]


def partials(tsv: Path) -> list[str]:
    """Return every word-by-word prefix of every utterance in ``tsv``."""
    texts = []
    for line in tsv.read_text(encoding="utf-8").splitlines()[1:]:
        words = line.split("\t", 1)[-1].lower().split()
        texts.extend(" ".join(words[: n + 1]) for n in range(len(words)))
    return texts


def time_matches(matcher: Matcher, texts: list[str]) -> None:
    """Print p50, p99 and max milliseconds per ``match`` call."""
    for text in texts[:50]:
        matcher.match(text)
    timings = []
    for text in texts:
        start = time.perf_counter()
        matcher.match(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"  {len(timings)} calls: p50 {statistics.median(timings):.3f} ms, "
        f"p99 {p99:.3f} ms, max {timings[-1]:.3f} ms"
    )


def write_large_playbook(playbook: Playbook, folder: Path, size: int) -> Path:
    """Write a ``size``-card playbook made from copies of ``playbook``'s cards."""
    cards = []
    for number in range(size):
        card = playbook.cards[number % len(playbook.cards)]
        filler = FILLERS[number % len(FILLERS)]
        cards.append(
            {
                "id": f"{card.id}-{number}",
                "category": card.category,
                "title": card.title,
                "rebuttal": card.rebuttal,
                "follow_up": card.follow_up,
                "proof_points": list(card.proof_points),
                "triggers": [f"{t} {filler}" for t in card.triggers],
                "examples": [f"{e} {filler}" for e in card.examples],
            }
        )
    header = {"name": "large", "version": "1", "language": "en"}
    path = folder / "large.yaml"
    document = {"playbook": header, "cards": cards}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def timed_load(path: Path) -> Playbook:
    """Load ``path``, build its matcher, and print how long each took."""
    start = time.perf_counter()
    playbook = load_playbook(path)
    loaded = time.perf_counter()
    Matcher(playbook)
    built = time.perf_counter()
    print(
        f"  {len(playbook.cards)} cards: load {(loaded - start) * 1000:.0f} ms, "
        f"matcher build {(built - loaded) * 1000:.0f} ms"
    )
    return playbook


def main() -> int:
    """Run both timings and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", nargs="?", type=Path, default=DEFAULT_TSV)
    args = parser.parse_args()
    texts = partials(args.tsv)

    print("default playbook")
    default = timed_load(REPO / "talk_tracks")
    time_matches(Matcher(default), texts)
    with tempfile.TemporaryDirectory() as folder:
        path = write_large_playbook(default, Path(folder), 500)
        print("generated playbook")
        large = timed_load(path)
        time_matches(Matcher(large), texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
