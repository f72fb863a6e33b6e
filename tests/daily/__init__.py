"""Tests for the daily history-snippet engine."""
