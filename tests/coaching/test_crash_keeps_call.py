"""A replay killed mid-utterance keeps what was heard up to about a second ago."""

import json
import os
import signal
import subprocess
import sys

from app.store.local import LocalStore
from tests.conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "resources" / "sample_call.wav"


def test_killed_call_keeps_draft_and_card(cuecard_home) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "replay", str(SAMPLE), "--json", "--save",
         "--realtime"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "CUECARD_HOME": str(cuecard_home)},
    )  # fmt: skip
    assert child.stdout is not None
    card = None
    for line in child.stdout:
        record = json.loads(line)
        if record["type"] == "card":
            card = record
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    store = LocalStore.open()
    try:
        calls = store.list_calls()
        detail = store.get_call(calls[0].id)
    finally:
        store.close()

    assert card is not None
    assert len(calls) == 1
    assert [event.card_id for event in detail.card_events] == [card["card"]]
    prospect = [s for s in detail.segments if s.speaker == "prospect"]
    assert prospect, "the prospect's words in progress were not saved"
    assert prospect[-1].draft
    assert prospect[-1].text
