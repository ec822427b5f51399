"""Renderers: a finished run as Rich tables or JSON, its backward graph as a tree, table, DOT,
Mermaid or JSON."""
