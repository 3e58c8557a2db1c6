"""Start and stop call pipelines in quick succession, as a child process.

  python -m tests.reliability.start_stop_cycles CYCLES MODEL

Each cycle starts a call on the two-channel sample call with real recognizers,
stops it after 0 to 50 ms, and calls stop() a second time. Every tenth cycle
replays unpaced, so its stop() also drains a full queue and finishes the
recognizers mid-utterance. The others replay in real time like a live call.
Prints "completed N" and exits 0 when every cycle ended; a native crash ends the
process with a signal instead.
"""

import random
import sys
import time

from app.audio.sources import WavReplaySource
from app.audio.wavfile import load_call_audio
from app.coaching.call import CallSetup, start_call
from app.paths import resources_dir
from app.playbooks.loader import load_playbook, resolve_playbook_path
from app.playbooks.matcher import Matcher
from app.speech.engines import load_engine
from app.speech.models import choose_model


def main(cycles: int, model: str) -> int:
    """Run the cycles and return the exit status."""
    playbook = load_playbook(resolve_playbook_path(None))
    setup = CallSetup(playbook, Matcher(playbook), load_engine(choose_model(model)))
    audio = load_call_audio(resources_dir() / "sample_call.wav")
    rng = random.Random(1000)
    for cycle in range(cycles):
        paced = cycle % 10 != 0
        source = WavReplaySource(audio, realtime=paced)
        pipeline = start_call(setup, source, lambda event: None, live=paced)
        time.sleep(rng.uniform(0.0, 0.05))
        first = pipeline.stop()
        second = pipeline.stop()
        if first is not second:
            print(f"cycle {cycle}: a second stop() returned another summary")
            return 1
    print(f"completed {cycles}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
