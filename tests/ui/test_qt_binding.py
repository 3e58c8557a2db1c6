"""The Qt binding itself: properties the window relies on for a day-long session."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_keeps_reference_counts() -> None:
    # PySide6 6.12.0 returned True from emit() without a reference, so every
    # signal took one count off True until the interpreter aborted.
    emitter = _Emitter()
    before = sys.getrefcount(True)

    for number in range(500):
        emitter.fired.emit(number)

    assert sys.getrefcount(True) - before >= 0
