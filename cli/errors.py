"""Errors the CLI reports as one line on stderr."""


class SegmentsError(Exception):
    """A failure explained to the user in one line (no traceback unless --debug)."""
