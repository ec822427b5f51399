"""PyTorch's UserWarnings, collected instead of printed: the front end decides where they go."""

from __future__ import annotations

_listeners: list = []


def warn(message: str) -> None:
    """Report a UserWarning to whoever listens (the interpreter); silent when nobody does."""
    for listener in _listeners:
        listener(message)


def add_listener(listener) -> None:
    _listeners.append(listener)


def remove_listener(listener) -> None:
    _listeners.remove(listener)
