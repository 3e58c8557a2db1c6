"""Audio sources: microphone and loopback capture, WAV replay, conversion."""
