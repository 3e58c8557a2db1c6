"""Time the matcher per partial-result update and the playbook load.

Usage: python bench/matcher_speed.py [TSV]

Every utterance of TSV is fed word by word, as a streaming recognizer's partial
results grow, and each ``Matcher.match`` call is timed, in wall time and in the
thread's CPU time, which does not grow when other processes load the CPU.

Runs with the default playbook and two generated 500-card playbooks made of the
default cards copied with a filler word or two added to every trigger and
example, so most copies compete for every input. In the first, about 16 copies
share each filler and so each trigger, which the matcher aligns once; in the
second, fillers are paired so that almost no two copies share a trigger.
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
    texts: list[str] = []
    for line in tsv.read_text(encoding="utf-8").splitlines()[1:]:
        words = line.split("\t", 1)[-1].lower().split()
        texts.extend(" ".join(words[: n + 1]) for n in range(len(words)))
    return texts


def time_matches(matcher: Matcher, texts: list[str]) -> None:
    """Print p50, p99 and max milliseconds per ``match`` call, wall and CPU.

    Wall time is what a call costs on this machine now, including time lost to
    other processes; the thread's CPU time is what the matcher itself costs.
    """
    for text in texts[:50]:
        matcher.match(text)
    wall, cpu = [], []
    for text in texts:
        start, start_cpu = time.perf_counter(), time.thread_time()
        matcher.match(text)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    for name, timings in (("wall", wall), ("CPU", cpu)):
        timings.sort()
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(
            f"  {len(timings)} calls, {name}: p50 "
            f"{statistics.median(timings):.3f} ms, p99 {p99:.3f} ms, "
            f"max {timings[-1]:.3f} ms"
        )


def write_large_playbook(
    playbook: Playbook, folder: Path, size: int, distinct: bool = False
) -> Path:
    """Write a ``size``-card playbook made from copies of ``playbook``'s cards.

    With ``distinct``, each copy gets a pair of fillers, so copies rarely share
    a trigger.
    """
    cards = []
    for number in range(size):
        card = playbook.cards[number % len(playbook.cards)]
        filler = FILLERS[number % len(FILLERS)]
        if distinct:
            second = FILLERS[(number // len(FILLERS)) % len(FILLERS)]
            filler = f"{second} {filler}"
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
    path = folder / f"large-{size}{'-distinct' if distinct else ''}.yaml"
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
        for distinct in (False, True):
            path = write_large_playbook(default, Path(folder), 500, distinct)
            shared = "no shared triggers" if distinct else "shared triggers"
            print(f"generated playbook, {shared}")
            large = timed_load(path)
            time_matches(Matcher(large), texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
