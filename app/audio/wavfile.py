"""Loading a recorded call from a file into 16 kHz int16 channels."""

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from app.audio.blocks import SPEAKERS
from app.audio.resample import downmix, resample_channel
from app.errors import CuecardError
from app.speech.recognizer import SAMPLE_RATE

log = logging.getLogger(__name__)

CONVERT_HINT = "convert it with: sox INPUT -r 16000 -b 16 OUTPUT.wav"


@dataclass(frozen=True)
class CallAudio:
    """A recording split into speakers, each 16 kHz mono int16 of equal length."""

    path: Path
    channels: dict[str, np.ndarray]
    source_rate: int
    source_channels: int
    duration: float

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speakers in channel order."""
        return tuple(self.channels)


def load_call_audio(path: Path, speaker: str | None = None) -> CallAudio:
    """Read a recording and convert it to 16 kHz mono int16 per speaker.

    A stereo file carries the rep on channel 0 and the prospect on channel 1. A
    mono file is ``mixed`` unless ``speaker`` names its speaker. For a stereo file,
    ``speaker`` keeps only that channel, or ``mixed`` averages the two. Any format
    libsndfile reads (WAV of any rate and width, float, mu-law, FLAC...) is
    accepted. Raises CuecardError for a missing, empty or unreadable file and for
    more than two channels.
    """
    path = Path(path)
    if speaker is not None and speaker not in SPEAKERS:
        raise CuecardError(
            f"invalid speaker {speaker!r}: use one of {', '.join(SPEAKERS)}"
        )
    samples, rate = _read_samples(path)
    frames, source_channels = samples.shape
    if source_channels > 2:
        raise CuecardError(
            f"{path} has {source_channels} channels, but a call recording needs 1 "
            "(mixed) or 2 (rep left, prospect right): "
            "mix it down with: sox INPUT OUTPUT.wav remix 1 2"
        )
    channels = _split_speakers(samples, speaker)
    converted = {name: resample_channel(data, rate) for name, data in channels.items()}
    length = len(next(iter(converted.values())))
    log.info(
        "loaded %s: %d Hz, %d channels, %.2f s -> %s",
        path,
        rate,
        source_channels,
        frames / rate,
        ",".join(converted),
    )
    return CallAudio(
        path=path,
        channels=converted,
        source_rate=rate,
        source_channels=source_channels,
        duration=length / SAMPLE_RATE,
    )


def _read_samples(path: Path) -> tuple[np.ndarray, int]:
    """Return (frames x channels) float32 samples and the file's rate."""
    if not path.exists():
        raise CuecardError(f"audio file not found: {path}; check the path")
    if path.is_dir():
        raise CuecardError(f"{path} is a folder; give the path of a WAV file")
    try:
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        log.info("cannot read %s as audio: %s", path, error)
        raise CuecardError(
            f"{path} is not a readable audio file ({_reason(error)}); {CONVERT_HINT}"
        ) from error
    if len(samples) == 0:
        raise CuecardError(
            f"{path} contains no audio samples; record or export the call again"
        )
    return samples, int(rate)


def _reason(error: Exception) -> str:
    """Return libsndfile's message for an error, on one line."""
    text = getattr(error, "error_string", None) or str(error)
    return " ".join(str(text).split())


def _split_speakers(samples: np.ndarray, speaker: str | None) -> dict[str, np.ndarray]:
    """Map speakers to float channels of the source rate."""
    if samples.shape[1] == 1:
        return {speaker or "mixed": samples[:, 0]}
    if speaker == "mixed":
        return {"mixed": downmix(samples)}
    if speaker == "rep":
        return {"rep": samples[:, 0]}
    if speaker == "prospect":
        return {"prospect": samples[:, 1]}
    return {"rep": samples[:, 0], "prospect": samples[:, 1]}
