"""Renderers: a finished run as Rich tables or JSON, its backward graph as a tree, table, DOT,
Mermaid, JSON or TikZ picture; `eval --latex` as a LaTeX fragment."""
