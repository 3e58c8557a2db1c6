"""Replay the sample call through the window, end it, tag it, find it stored."""

from PySide6.QtCore import Qt

from app.store.local import LocalStore
from app.ui.main_window import MainWindow
from tests.ui.conftest import sample_call

CARD_TIMEOUT_MS = 60_000
END_TIMEOUT_MS = 30_000


def test_replay_card_end_and_tag(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(
        lambda: window.area.card_view.card is not None, timeout=CARD_TIMEOUT_MS
    )
    card = window.area.card_view.card
    assert window.area.card_view.title.text() == card.title
    assert window.area.card_view.heard.text() == f'heard: "{card.heard}"'
    assert card.speaker == "prospect"

    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=END_TIMEOUT_MS)
    dialog = window.outcomes.dialog
    assert dialog.isVisible()
    titles = [toggle.parent() for toggle in dialog.votes]
    assert titles, "the dialog lists no cards"

    qtbot.keyClick(dialog, Qt.Key.Key_3)
    assert dialog.selected() == "not-interested"
    with qtbot.waitSignal(window.outcomes.saved, timeout=END_TIMEOUT_MS) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    call_id, outcome = saved.args
    assert outcome == "not-interested"

    store = LocalStore.open()
    try:
        calls = store.list_calls()
        detail = store.get_call(call_id)
    finally:
        store.close()
    assert [call.id for call in calls] == [call_id]
    assert calls[0].outcome == "not-interested"
    assert card.card in [event.card_id for event in detail.card_events]
