"""A sink for capture tests: it keeps blocks and statuses and waits for a status."""

import threading

import numpy as np

from app.audio.blocks import AudioBlock
from app.audio.sources import SourceStatus


class Collector:
    """Collect blocks and statuses; wait for a status kind."""

    def __init__(self) -> None:
        self.blocks: list[AudioBlock] = []
        self.statuses: list[SourceStatus] = []
        self.changed = threading.Condition()

    def sink(self, block: AudioBlock) -> None:
        self.blocks.append(block)

    def on_status(self, status: SourceStatus) -> None:
        with self.changed:
            self.statuses.append(status)
            self.changed.notify_all()

    def wait_for(self, kind: str, timeout: float = 5) -> SourceStatus | None:
        """Return the first status of ``kind`` once it arrives, or None."""
        with self.changed:
            self.changed.wait_for(
                lambda: any(s.kind == kind for s in self.statuses), timeout
            )
            return next((s for s in self.statuses if s.kind == kind), None)

    def expect(self, kind: str, timeout: float = 5) -> SourceStatus:
        """Return the first status of ``kind``; fail the test when none arrives."""
        status = self.wait_for(kind, timeout)
        assert status is not None, f"no {kind} in {[s.kind for s in self.statuses]}"
        return status

    def pcm(self, speaker: str) -> np.ndarray:
        return np.concatenate([b.pcm for b in self.blocks if b.speaker == speaker])
