"""The exception type for problems a user can fix."""


class CuecardError(Exception):
    """A problem with the user's input or environment.

    The message is one plain line that names the value at fault and the fix. The
    command line prints it and exits with status 1; the window shows it.
    """
