"""The call session: cards fired, de-duplication, talk metrics, the opener."""
