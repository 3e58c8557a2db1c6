"""Replay a 60-minute call as fast as possible and print RSS along the way.

  python -m tests.reliability.long_call_memory MINUTES MODEL

The call repeats a one-minute unit: the first 10 s of the sample call (both
speakers talking) followed by 50 s of a faint noise floor. So every minute has
speech to recognize and match, while the whole hour decodes in a few minutes.
Prints one JSON line: RSS in MB after each minute of audio.
"""

import json
import sys

import numpy as np
import psutil

from app.audio.sources import WavReplaySource
from app.audio.wavfile import CallAudio, load_call_audio
from app.coaching.call import CallSetup, start_call
from app.paths import resources_dir
from app.playbooks.loader import load_playbook, resolve_playbook_path
from app.playbooks.matcher import Matcher
from app.speech.engines import load_engine
from app.speech.models import choose_model
from app.speech.recognizer import SAMPLE_RATE
from app.store.local import LocalStore

SPEECH_SECONDS = 10
UNIT_SECONDS = 60


def hour_call(minutes: int) -> CallAudio:
    """Return the repeated one-minute unit as a call of ``minutes`` minutes."""
    sample = load_call_audio(resources_dir() / "sample_call.wav")
    rng = np.random.default_rng(60)
    channels = {}
    for speaker, pcm in sample.channels.items():
        floor = rng.integers(-3, 4, (UNIT_SECONDS - SPEECH_SECONDS) * SAMPLE_RATE)
        unit = np.concatenate([pcm[: SPEECH_SECONDS * SAMPLE_RATE], floor])
        channels[speaker] = np.tile(unit.astype(np.int16), minutes)
    return CallAudio(sample.path, channels, SAMPLE_RATE, 2, minutes * 60.0)


def main(minutes: int, model: str) -> int:
    """Replay the call, sampling RSS each minute of audio, and print the samples."""
    playbook = load_playbook(resolve_playbook_path(None))
    store = LocalStore.open()
    setup = CallSetup(
        playbook, Matcher(playbook), load_engine(choose_model(model)), store=store
    )
    process = psutil.Process()
    rss: dict[int, float] = {}

    def on_event(event: object) -> None:
        minute = int(getattr(event, "t1", 0.0) // 60)
        if minute not in rss:
            rss[minute] = process.memory_info().rss / 2**20

    pipeline = start_call(
        setup, WavReplaySource(hour_call(minutes), realtime=False), on_event, False
    )
    pipeline.wait_until_done()
    summary = pipeline.stop()
    store.close()
    print(json.dumps({"rss_mb": rss, "duration": summary.duration}))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
