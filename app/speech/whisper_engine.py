"""The embedded engine: faster-whisper ``tiny.en`` made to stream.

Whisper decodes whole windows, so this recognizer cuts the channel into
utterances with an energy endpointer, re-decodes the utterance so far about once
a second for partial results, and decodes it once more, with word times, when it
ends. The CTranslate2 model is shared by every channel; CTranslate2 serialises
concurrent calls on it.
"""

import logging
import time
from pathlib import Path

import numpy as np

from app.speech.endpointer import FRAME, Endpointer, FrameSplitter
from app.speech.recognizer import SAMPLE_RATE, SpeechResult, Word

log = logging.getLogger(__name__)

PRE_ROLL_SECONDS = 0.3
PARTIAL_INTERVAL_SECONDS = 1.0
MIN_DECODE_SECONDS = 0.4
# Segments the model itself flags as probably not speech; Whisper invents short
# phrases ("Thank you.") on noise, and these two figures catch most of them.
NO_SPEECH_PROBABILITY = 0.6
MIN_AVERAGE_LOGPROB = -1.0


class WhisperEngine:
    """A loaded faster-whisper model that makes one recognizer per channel."""

    name = "whisper"

    def __init__(self, model_path: Path, model_name: str, cpu_threads: int = 2) -> None:
        from faster_whisper import WhisperModel

        started = time.monotonic()
        self.model_name = model_name
        self.model = WhisperModel(
            str(model_path), device="cpu", compute_type="int8", cpu_threads=cpu_threads
        )
        log.info(
            "loaded Whisper model %s from %s in %.1f s",
            model_name,
            model_path,
            time.monotonic() - started,
        )

    def new_recognizer(
        self, speaker: str, partial_interval: float | None = None
    ) -> "WhisperRecognizer":
        """Return a recognizer for one channel.

        Without ``partial_interval``, the far end gets partial results every
        second, so cards can fire mid-sentence, and the rep gets finals only:
        cards never fire on the rep, and each partial costs a full decode.
        """
        if partial_interval is None and speaker != "rep":
            partial_interval = PARTIAL_INTERVAL_SECONDS
        return WhisperRecognizer(self, speaker, partial_interval)

    def decode(self, audio: np.ndarray, with_words: bool) -> tuple[str, list[Word]]:
        """Decode float32 16 kHz audio and return its text and word times.

        Word times are seconds from the start of ``audio``; without ``with_words``
        the list is empty.
        """
        segments, _ = self.model.transcribe(
            audio,
            language="en",
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=not with_words,
            word_timestamps=with_words,
            vad_filter=False,
        )
        texts: list[str] = []
        words: list[Word] = []
        for segment in segments:
            if (
                segment.no_speech_prob > NO_SPEECH_PROBABILITY
                and segment.avg_logprob < MIN_AVERAGE_LOGPROB
            ):
                log.debug("dropped a likely non-speech segment: %r", segment.text)
                continue
            texts.append(segment.text.strip())
            for word in segment.words or ():
                words.append(
                    Word(word.word.strip(), word.start, word.end, word.probability)
                )
        return " ".join(t for t in texts if t), words


class WhisperRecognizer:
    """Streams one channel through the shared Whisper model.

    ``partial_interval`` is the seconds of new audio between partial results, or
    None for final results only.
    """

    def __init__(
        self, engine: WhisperEngine, speaker: str, partial_interval: float | None
    ) -> None:
        self._engine = engine
        self._speaker = speaker
        self._partial_interval = partial_interval
        self._endpointer = Endpointer()
        self._frames = FrameSplitter()
        self._history: list[np.ndarray] = []
        self._history_samples = 0
        self._utterance_audio: list[np.ndarray] | None = None
        self._utterance_start = 0
        self._samples_fed = 0
        self._last_partial_at = 0
        self._last_partial_text = ""
        self._utterance = 0

    def accept(self, pcm: np.ndarray) -> list[SpeechResult]:
        """Feed 16 kHz mono int16 samples and return any results they completed."""
        results: list[SpeechResult] = []
        for frame in self._frames.split(pcm):
            results.extend(self._accept_frame(frame))
        partial = self._maybe_partial()
        if partial is not None:
            results.append(partial)
        return results

    def finish(self) -> list[SpeechResult]:
        """Decode the utterance in progress, if any, as a final result."""
        if self._utterance_audio is None:
            return []
        return self._finish_utterance()

    def _accept_frame(self, frame: np.ndarray) -> list[SpeechResult]:
        frame_start = self._samples_fed
        self._samples_fed += len(frame)
        started, ended = self._endpointer.update(frame)

        if self._utterance_audio is None:
            self._remember(frame)
            if started is not None:
                self._begin_utterance(started, frame_start)
            return []

        self._utterance_audio.append(frame)
        if ended is not None:
            return self._finish_utterance()
        return []

    def _remember(self, frame: np.ndarray) -> None:
        """Keep the last pre-roll of audio so an utterance starts before its rise."""
        self._history.append(frame)
        self._history_samples += len(frame)
        limit = int((PRE_ROLL_SECONDS + 0.2) * SAMPLE_RATE)
        while self._history_samples - len(self._history[0]) >= limit:
            self._history_samples -= len(self._history.pop(0))

    def _begin_utterance(self, start: int, frame_start: int) -> None:
        history = np.concatenate(self._history)
        history_start = frame_start + FRAME - len(history)
        keep_from = max(start, history_start)
        self._utterance_audio = [history[keep_from - history_start :]]
        self._utterance_start = keep_from
        self._last_partial_at = self._samples_fed
        self._last_partial_text = ""
        self._history.clear()
        self._history_samples = 0

    def _maybe_partial(self) -> SpeechResult | None:
        interval = self._partial_interval
        if self._utterance_audio is None or interval is None:
            return None
        if self._samples_fed - self._last_partial_at < interval * SAMPLE_RATE:
            return None
        audio = np.concatenate(self._utterance_audio)
        if len(audio) < MIN_DECODE_SECONDS * SAMPLE_RATE:
            return None
        self._last_partial_at = self._samples_fed
        text, _ = self._engine.decode(audio, with_words=False)
        if not text or text == self._last_partial_text:
            return None
        self._last_partial_text = text
        start = self._utterance_start / SAMPLE_RATE
        return SpeechResult(
            speaker=self._speaker,
            utterance=self._utterance,
            text=text,
            is_final=False,
            start=start,
            end=self._samples_fed / SAMPLE_RATE,
        )

    def _finish_utterance(self) -> list[SpeechResult]:
        assert self._utterance_audio is not None
        audio = np.concatenate(self._utterance_audio)
        self._utterance_audio = None
        start = self._utterance_start / SAMPLE_RATE
        end = start + len(audio) / SAMPLE_RATE
        text, words = "", list[Word]()
        if len(audio) >= MIN_DECODE_SECONDS * SAMPLE_RATE:
            text, words = self._engine.decode(audio, with_words=True)
        if not text and not self._last_partial_text:
            return []
        # An empty final still closes an utterance that had partial results, so
        # a card fired on those partials can be withdrawn.
        if words:
            end = start + words[-1].end
        result = SpeechResult(
            speaker=self._speaker,
            utterance=self._utterance,
            text=text,
            is_final=True,
            start=start,
            end=end,
            words=tuple(
                Word(w.text, start + w.start, start + w.end, w.confidence)
                for w in words
            ),
        )
        self._utterance += 1
        return [result]
