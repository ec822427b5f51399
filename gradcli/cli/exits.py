"""Exit codes (SPEC §3.6), in one place."""

OK = 0
FAILED = 1        # the program ran and failed: a runtime error, a failed check
USAGE = 2         # bad option, missing or unreadable input
SYNTAX = 3
INTERRUPTED = 130


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit code 2."""
