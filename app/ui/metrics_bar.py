"""One line of live talk metrics and the gentle monologue alert."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.coaching.events import MetricsUpdate


def format_metrics(metrics: dict[str, float]) -> str:
    """Return the talk metrics as one short line for the bar."""
    return (
        f"You {metrics.get('talk_ratio', 0.0):.0%} of talk"
        f" · monologue {metrics.get('monologue_s', 0.0):.0f} s"
        f" · {metrics.get('rep_wpm', 0):.0f} wpm"
        f" · {metrics.get('questions', 0):.0f} questions"
        f" · reply gap {metrics.get('response_gap_s', 0.0):.1f} s"
    )


class MetricsBar(QWidget):
    """Talk ratio, monologue, pace, questions and reply gap; the alert below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("metrics")
        self.alert = QLabel(self)
        self.alert.setObjectName("metricsAlert")
        self.alert.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.alert)
        self.reset()

    def update_metrics(self, event: MetricsUpdate) -> None:
        """Show the latest metrics; show the alert when the event carries one."""
        self.summary.setText(format_metrics(event.metrics))
        if event.alert:
            self.alert.setText(event.alert)
            self.alert.setVisible(True)
        elif event.metrics.get("monologue_s", 0.0) == 0.0:
            # The rep stopped talking, so the nudge has done its job.
            self.alert.setVisible(False)

    def reset(self) -> None:
        """Clear the bar for a new call."""
        self.summary.setText(format_metrics({}))
        self.alert.clear()
        self.alert.setVisible(False)
