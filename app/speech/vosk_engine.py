"""The Vosk streaming engine: one Kaldi recognizer per channel over a shared model."""

import json
import logging
import time
from pathlib import Path

import numpy as np

from app.speech.endpointer import Endpointer, FrameSplitter
from app.speech.recognizer import SAMPLE_RATE, SpeechResult, Word

log = logging.getLogger(__name__)

# A new recognizer stalls for about half a second early in its first utterance.
# A second of faint noise followed by Reset() takes that stall out of the call.
WARM_UP_SECONDS = 1.0
# Kaldi's memory grows over a long stream. Between utterances, past this much
# audio, the recognizer is replaced; no words are lost because it happens only
# right after a final result.
RECREATE_AFTER_SECONDS = 600.0
_DITHER_SEED = 20_240_601


class VoskEngine:
    """A loaded Vosk model that makes one recognizer per channel."""

    name = "vosk"

    def __init__(self, model_path: Path | str, model_name: str) -> None:
        import vosk

        # Kaldi prints messages up to this severity: -1 would add its warnings
        # (lattice alignment, grammar words) to the rep's terminal, -2 keeps errors.
        vosk.SetLogLevel(-2)
        started = time.monotonic()
        self.model_name = model_name
        self.model_path = model_path
        self.model = vosk.Model(str(model_path))
        log.info(
            "loaded Vosk model %s from %s in %.1f s",
            model_name,
            model_path,
            time.monotonic() - started,
        )

    def new_recognizer(
        self, speaker: str, phrases: list[str] | None = None
    ) -> "VoskRecognizer":
        """Return a recognizer for one channel, optionally restricted to phrases.

        A phrase list works only with models that have a dynamic graph (HCLr.fst
        and Gr.fst); Vosk ignores it for others and logs a warning.
        """
        return VoskRecognizer(self, speaker, phrases)


class VoskRecognizer:
    """Streams one channel through Kaldi, with call-clock word times."""

    def __init__(
        self, engine: VoskEngine, speaker: str, phrases: list[str] | None
    ) -> None:
        self._engine = engine
        self._speaker = speaker
        self._phrases = phrases
        self._rng = np.random.default_rng(_DITHER_SEED)
        self._offset = 0.0
        self._samples_fed = 0
        self._since_created = 0
        self._utterance = 0
        self._last_partial = ""
        # Kaldi turns steady noise into words (seen with the Korean model on
        # white noise), so results count only after the energy endpointer has
        # heard speech since the last final result.
        self._voice = Endpointer()
        self._frames = FrameSplitter()
        self._heard_speech = False
        self._kaldi = self._create()

    def _create(self):  # noqa: ANN202 - vosk ships no type information
        import vosk

        if self._phrases:
            grammar = json.dumps(self._phrases, ensure_ascii=False)
            kaldi = vosk.KaldiRecognizer(self._engine.model, SAMPLE_RATE, grammar)
        else:
            kaldi = vosk.KaldiRecognizer(self._engine.model, SAMPLE_RATE)
        kaldi.SetWords(True)
        kaldi.SetPartialWords(True)
        kaldi.AcceptWaveform(self._noise(int(WARM_UP_SECONDS * SAMPLE_RATE)).tobytes())
        kaldi.Reset()
        # Reset() does not rewind Kaldi's clock, so its times include the warm-up.
        self._offset = self._samples_fed / SAMPLE_RATE - WARM_UP_SECONDS
        self._since_created = 0
        return kaldi

    def _noise(self, count: int) -> np.ndarray:
        return self._rng.integers(-2, 3, size=count, dtype=np.int16)

    def accept(self, pcm: np.ndarray) -> list[SpeechResult]:
        """Feed 16 kHz mono int16 samples and return the results they completed."""
        if not np.any(pcm):
            # Kaldi's endpointing stops on exact-zero input; a faint noise floor,
            # far below any microphone's own, keeps it working.
            pcm = self._noise(len(pcm))
        self._samples_fed += len(pcm)
        self._since_created += len(pcm)
        self._listen(pcm)
        if self._kaldi.AcceptWaveform(pcm.astype(np.int16).tobytes()):
            result = self._final(json.loads(self._kaldi.Result()))
            self._maybe_recreate()
            return result
        return self._partial(json.loads(self._kaldi.PartialResult()))

    def finish(self) -> list[SpeechResult]:
        """Flush the utterance in progress and return its final result, if any."""
        return self._final(json.loads(self._kaldi.FinalResult()))

    def _listen(self, pcm: np.ndarray) -> None:
        for frame in self._frames.split(pcm):
            self._voice.update(frame)
            self._heard_speech = self._heard_speech or self._voice.in_speech

    def _maybe_recreate(self) -> None:
        if self._since_created < RECREATE_AFTER_SECONDS * SAMPLE_RATE:
            return
        self._kaldi = self._create()
        log.info(
            "recreated the %s recognizer at %.1f s to bound its memory",
            self._speaker,
            self._offset,
        )

    def _words(self, items: list[dict]) -> tuple[Word, ...]:
        return tuple(
            Word(
                item["word"],
                self._offset + float(item["start"]),
                self._offset + float(item["end"]),
                float(item.get("conf", 1.0)),
            )
            for item in items
        )

    def _partial(self, payload: dict) -> list[SpeechResult]:
        text = payload.get("partial", "").strip()
        if not text or text == self._last_partial or not self._heard_speech:
            return []
        self._last_partial = text
        words = self._words(payload.get("partial_result", []))
        now = self._samples_fed / SAMPLE_RATE
        start = words[0].start if words else now
        return [
            SpeechResult(self._speaker, self._utterance, text, False, start, now, words)
        ]

    def _final(self, payload: dict) -> list[SpeechResult]:
        text = payload.get("text", "").strip()
        had_partial = bool(self._last_partial)
        heard_speech = self._heard_speech or self._voice.in_speech
        self._last_partial = ""
        self._heard_speech = False
        if not heard_speech:
            if text:
                log.debug("dropped %r: no speech energy in its span", text)
            return []
        if not text and not had_partial:
            return []
        words = self._words(payload.get("result", []))
        now = self._samples_fed / SAMPLE_RATE
        start = words[0].start if words else now
        end = words[-1].end if words else now
        result = SpeechResult(
            self._speaker, self._utterance, text, True, start, end, words
        )
        self._utterance += 1
        return [result]
