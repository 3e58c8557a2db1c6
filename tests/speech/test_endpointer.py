"""The energy endpointer that cuts utterances for Whisper."""

import numpy as np

from app.speech.endpointer import FRAME, Endpointer, EndpointSettings

RATE = 16_000


def _tone(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def _run(endpointer: Endpointer, audio: np.ndarray) -> list[tuple[str, int]]:
    marks = []
    for offset in range(0, len(audio) - FRAME + 1, FRAME):
        start, end = endpointer.update(audio[offset : offset + FRAME])
        if start is not None:
            marks.append(("start", start))
        if end is not None:
            marks.append(("end", end))
    return marks


def test_one_burst_gives_one_utterance() -> None:
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.001, RATE * 4).astype(np.float32)
    audio = noise.copy()
    audio[RATE : 2 * RATE] += _tone(1.0, 0.3)

    marks = _run(Endpointer(), audio)

    assert [kind for kind, _ in marks] == ["start", "end"]
    assert abs(marks[0][1] - RATE) < 0.2 * RATE
    assert abs(marks[1][1] - 2.5 * RATE) < 0.1 * RATE


def test_long_speech_is_cut_at_the_maximum() -> None:
    settings = EndpointSettings(max_utterance=2.0)
    audio = np.concatenate([np.full(RATE // 2, 1e-4, np.float32), _tone(5.0, 0.3)])
    marks = _run(Endpointer(settings), audio)

    ends = [index for kind, index in marks if kind == "end"]
    assert ends
    assert ends[0] <= 2.5 * RATE + FRAME


def test_quiet_noise_floor_is_not_speech() -> None:
    rng = np.random.default_rng(1)
    audio = rng.normal(0, 0.02, RATE * 5).astype(np.float32)

    assert _run(Endpointer(), audio) == []
