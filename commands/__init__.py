"""Slash commands: one extension per feature, each a thin adapter from Discord options to an answer."""
