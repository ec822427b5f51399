"""Renderers: a finished run as Rich tables or JSON."""
