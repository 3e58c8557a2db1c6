"""Speech recognition: a small recognizer interface with Vosk and Whisper behind it."""
