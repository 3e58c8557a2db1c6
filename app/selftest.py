"""``python -m app --self-test``: check that a build can run a call.

Loads the speech model (and decodes a second of silence with it), the playbook
and the database, then opens the window offscreen and waits until it is ready.
Prints one line per check and exits 0 when all pass, or 1 with one line naming
what failed.
"""

import logging
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from app.errors import CuecardError

log = logging.getLogger(__name__)

# Seconds the window may take to load the playbook, the engine and the database.
WINDOW_TIMEOUT_S = 120.0


def _check_engine() -> str:
    from app.settings import load_settings
    from app.speech.models import choose_model
    from app.ui.loading import engine_for, load_playbook_for

    settings = load_settings()
    playbook = load_playbook_for(settings)
    model = choose_model(None, settings.speech_model, language=playbook.language)
    engine = engine_for(model)
    recognizer = engine.new_recognizer("mixed")
    recognizer.accept(np.zeros(16_000, dtype=np.int16))
    recognizer.finish()
    return f"speech model {model.name} ({engine.name}) loads and decodes"


def _check_playbook() -> str:
    from app.settings import load_settings
    from app.ui.loading import load_playbook_for

    playbook = load_playbook_for(load_settings())
    return f"playbook {playbook.name} {playbook.version}: {len(playbook.cards)} cards"


def _check_database() -> str:
    from app.store.local import LocalStore

    store = LocalStore.open()
    try:
        count = len(store.list_calls(limit=1_000_000))
    finally:
        store.close()
    return f"database opens ({count} calls)"


def _check_window() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from app.ui.application import application, create_window

    app = application()
    window = create_window()
    window.show()
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    while not window.is_ready() and time.monotonic() < deadline:
        if window.area.error.isVisible():
            break
        QCoreApplication.processEvents()
        time.sleep(0.01)
    ready = window.is_ready()
    problem = window.area.error.text() if window.area.error.isVisible() else ""
    window.close()
    app.processEvents()
    if not ready:
        raise CuecardError(
            problem or f"the window was not ready in {WINDOW_TIMEOUT_S:.0f} s"
        )
    return "window opens and loads"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("playbook", _check_playbook),
    ("database", _check_database),
    ("speech model", _check_engine),
    ("window", _check_window),
)


def run_self_test() -> int:
    """Run every check; return 0 when all pass, else 1 after the failing line."""
    for name, check in CHECKS:
        try:
            message = check()
        except CuecardError as error:
            log.warning("self-test: %s failed: %s", name, error)
            print(f"self-test failed: {name}: {error}", file=sys.stderr)
            return 1
        except Exception as error:
            log.exception("self-test: %s failed", name)
            print(f"self-test failed: {name}: {error}", file=sys.stderr)
            return 1
        print(f"ok: {message}")
    return 0
