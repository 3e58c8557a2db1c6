"""Save PNG screenshots of the window's main states into docs/screenshots/.

Run under a virtual X server so the real xcb platform draws the widgets:

    xvfb-run -a -s "-screen 0 1280x1024x24" .venv/bin/python scripts/screenshots.py

``--color-scheme dark --suffix=-dark`` saves the dark palette's states, and
``QT_SCALE_FACTOR=2`` with ``--suffix=-200`` (and a 2560x2048 screen) saves
them at 200% scaling.

Qt's xcb plugin needs Debian's libxcb-cursor0, libxcb-icccm4 and libxcb-keysyms1.
The script uses a temporary CUECARD_HOME, so it touches no user data.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "docs" / "screenshots"
TIMEOUT_S = 120.0


def main() -> int:
    """Drive the window through idle, opener, card, outcome and settings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--color-scheme",
        choices=("system", "light", "dark"),
        default="system",
        help="the colour scheme setting to run with (default: system)",
    )
    parser.add_argument(
        "--suffix", default="", help="text added to each file name, such as -dark"
    )
    args = parser.parse_args()
    os.environ["CUECARD_HOME"] = tempfile.mkdtemp(prefix="cuecard-shots-")
    sys.path.insert(0, str(REPO_ROOT))
    from PySide6.QtWidgets import QWidget

    from app import logs, paths
    from app.settings import Settings, save_settings
    from app.ui.application import application, create_window

    logs.setup()
    app = application()
    save_settings(Settings(color_scheme=args.color_scheme))

    def wait_until(condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.01)

    def save(widget: QWidget, name: str) -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        path = OUTPUT / f"{name}{args.suffix}.png"
        widget.grab().save(str(path))
        print(f"saved {path.relative_to(REPO_ROOT)}")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    window = create_window()
    window.show()
    wait_until(window.is_ready, "the window to load")
    save(window, "idle")

    window.replay_recording(paths.resources_dir() / "sample_call.wav", realtime=False)
    save(window, "opener")
    wait_until(lambda: window.area.card_view.card is not None, "the first card")
    wait_until(lambda: window.area.transcript.text() != "", "the transcript")
    save(window, "card")

    window.end_call()
    wait_until(lambda: window.outcomes.dialog is not None, "the outcome dialog")
    dialog = window.outcomes.dialog
    dialog.select("callback")
    save(dialog, "outcome-dialog")
    dialog.reject()

    window.panels.open_settings()
    save(window.panels.settings, "settings")
    window.panels.settings.reject()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
