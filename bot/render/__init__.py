"""Renderers: the same answers shown as JSON, in a terminal, or as Discord messages."""
