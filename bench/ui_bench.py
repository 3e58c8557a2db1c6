"""Measure the window: time from launch to the first paint, and card paint time.

    .venv/bin/python bench/ui_bench.py [--runs 5] [--cards 200]

Targets: the window is shown within 2 s of launch, and a card is painted within
16 ms (one frame at 60 Hz) of its signal arriving on the GUI thread. Runs on
the offscreen Qt platform in a temporary CUECARD_HOME.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter: prints seconds from process start to first paint.
_LAUNCH_PROBE = """
import time, sys
from PySide6.QtCore import QEvent, QObject
from app.ui.application import application, create_window
app = application()
window = create_window()
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "t"):
            self.t = time.time()
        return False
probe = Painted()
window.installEventFilter(probe)
window.show()
while not hasattr(probe, "t"):
    app.processEvents()
print(probe.t)
window.close()
"""


def measure_launch(runs: int, home: str) -> list[float]:
    """Return seconds from spawning ``python`` to the window's first paint."""
    env = {**os.environ, "CUECARD_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    times = []
    for _ in range(runs):
        started = time.time()
        output = subprocess.run(
            [sys.executable, "-c", _LAUNCH_PROBE],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times.append(float(output.strip().splitlines()[-1]) - started)
    return times


def measure_cards(count: int) -> tuple[list[float], list[float]]:
    """Return (arrival to painted, emit to painted) times in seconds per card."""
    from app.coaching.events import CardFired
    from app.ui.application import application, create_window

    app = application()
    window = create_window()
    window.show()
    while not window.is_ready():
        app.processEvents()
        time.sleep(0.01)

    emitted: dict[str, float] = {}
    arrive_to_paint: list[float] = []
    emit_to_paint: list[float] = []
    arrived: dict[str, float] = {}

    def on_arrival(event: object) -> None:
        arrived[event.event_id] = time.perf_counter()

    def after_window(event: object) -> None:
        window.area.card_view.repaint()
        done = time.perf_counter()
        arrive_to_paint.append(done - arrived[event.event_id])
        emit_to_paint.append(done - emitted[event.event_id])

    # Connected around the window's own handler, so the span covers its work.
    window.controller.coach_event.disconnect(window._on_event)
    window.controller.coach_event.connect(on_arrival)
    window.controller.coach_event.connect(window._on_event)
    window.controller.coach_event.connect(after_window)

    def send() -> None:
        for index in range(count):
            event = CardFired(
                f"bench-{index}", float(index), "no-budget", "no-budget",
                "No budget / too expensive",
                "Most customers fund it from the late fees it removes.",
                "How many invoices a month does your team process?",
                "prospect", "no budget", 1.0, index, True,
            )  # fmt: skip
            emitted[event.event_id] = time.perf_counter()
            window.controller._posted.emit(event)
            time.sleep(0.02)

    sender = threading.Thread(target=send)
    sender.start()
    while len(emit_to_paint) < count:
        app.processEvents()
        time.sleep(0.001)
    sender.join()
    window.close()
    return arrive_to_paint, emit_to_paint


def _describe(name: str, seconds: list[float], unit: float, label: str) -> str:
    values = sorted(value * unit for value in seconds)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (
        f"{name}: median {statistics.median(values):.1f} {label}, "
        f"p95 {p95:.1f} {label}, max {values[-1]:.1f} {label} ({len(values)} runs)"
    )


def main() -> int:
    """Print the launch and card paint figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches to time")
    parser.add_argument("--cards", type=int, default=200, help="cards to paint")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="cuecard-bench-")
    os.environ["CUECARD_HOME"] = home
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO_ROOT))

    launch = measure_launch(args.runs, home)
    print(_describe("launch to first paint (target 2 s)", launch, 1, "s"))
    arrival, emit = measure_cards(args.cards)
    print(
        _describe("card signal arrival to painted (target 16 ms)", arrival, 1e3, "ms")
    )
    print(_describe("card emitted on a worker to painted", emit, 1e3, "ms"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
