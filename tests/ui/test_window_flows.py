"""Keyboard shortcuts, closing mid-call, the untagged reminder and history."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.store.local import LocalStore
from app.ui.call_controller import CallState
from app.ui.main_window import MainWindow
from tests.ui.conftest import sample_call

TIMEOUT_MS = 60_000
CTRL = Qt.KeyboardModifier.ControlModifier


def _wait_for_card(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(lambda: window.area.card_view.card is not None, timeout=TIMEOUT_MS)


def _end_and_get_dialog(qtbot, window: MainWindow):  # noqa: ANN001, ANN202
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    return window.outcomes.dialog


def _stored_calls() -> list:
    store = LocalStore.open()
    try:
        return [store.get_call(call.id) for call in store.list_calls()]
    finally:
        store.close()


def test_shortcuts_vote_and_dismiss(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    _wait_for_card(qtbot, window)
    card = window.area.card_view.card
    qtbot.keyClick(window, Qt.Key.Key_Up, CTRL)
    assert window.controller.cards[card.event_id].helpful is True

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.area.card_view.card is None
    assert card.event_id in window.area.earlier_cards.event_ids()

    dialog = _end_and_get_dialog(qtbot, window)
    toggle = next(t for t in dialog.votes if t.event_id == card.event_id)
    assert toggle.vote() is True
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    with qtbot.waitSignal(window.outcomes.saved, timeout=TIMEOUT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    [detail] = _stored_calls()
    assert detail.summary.outcome == "meeting-booked"
    votes = {event.card_id: event.helpful for event in detail.card_events}
    assert votes[card.card] is True


def test_not_helpful_shortcut_toggles(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    _wait_for_card(qtbot, window)
    card = window.area.card_view.card
    qtbot.keyClick(window, Qt.Key.Key_Down, CTRL)
    assert window.controller.cards[card.event_id].helpful is False
    qtbot.keyClick(window, Qt.Key.Key_Down, CTRL)
    assert window.controller.cards[card.event_id].helpful is None
    dialog = _end_and_get_dialog(qtbot, window)
    dialog.reject()


def test_close_mid_call_saves_call(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=True)
    qtbot.waitUntil(
        lambda: window.controller.state == CallState.LIVE, timeout=TIMEOUT_MS
    )

    window.close()
    assert window.isVisible()
    prompt = window.close_guard.prompt
    assert prompt.isVisible()
    prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)

    [detail] = _stored_calls()
    assert detail.summary.outcome is None
    assert detail.summary.duration is not None
    assert detail.ended_at is not None


def test_close_mid_call_no_keeps_call(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=True)
    qtbot.waitUntil(
        lambda: window.controller.state == CallState.LIVE, timeout=TIMEOUT_MS
    )
    window.close()
    window.close_guard.prompt.button(QMessageBox.StandardButton.No).click()
    assert window.isVisible()
    assert window.controller.state == CallState.LIVE
    window.end_call()
    qtbot.waitUntil(lambda: window.outcomes.dialog is not None, timeout=TIMEOUT_MS)
    window.outcomes.dialog.reject()


def test_skipped_dialog_reminds_next_call(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(
        lambda: window.controller.state == CallState.LIVE, timeout=TIMEOUT_MS
    )
    dialog = _end_and_get_dialog(qtbot, window)
    with qtbot.waitSignal(window.outcomes.skipped, timeout=TIMEOUT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not window.area.reminder.isVisible()

    window.replay_recording(sample_call(), realtime=False)
    qtbot.waitUntil(window.area.reminder.isVisible, timeout=TIMEOUT_MS)
    assert "1 earlier call has no outcome yet" in window.area.reminder.text()
    dialog = _end_and_get_dialog(qtbot, window)
    dialog.reject()


def test_history_shows_and_retags_call(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    _wait_for_card(qtbot, window)
    dialog = _end_and_get_dialog(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_4)
    with qtbot.waitSignal(window.outcomes.saved, timeout=TIMEOUT_MS) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    call_id = saved.args[0]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_H, CTRL)
    history = window.panels.history
    assert history is not None
    qtbot.waitUntil(lambda: history.table.rowCount() == 1, timeout=TIMEOUT_MS)
    assert history.table.item(0, 2).text() == "Gatekeeper"

    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None, timeout=TIMEOUT_MS)
    assert history.detail.summary.id == call_id
    assert "card " in history.text.toPlainText()

    history.outcome.setCurrentIndex(history.outcome.findData("callback"))
    with qtbot.waitSignal(history.outcome_changed, timeout=TIMEOUT_MS):
        history.save.click()
    [detail] = _stored_calls()
    assert detail.summary.outcome == "callback"
