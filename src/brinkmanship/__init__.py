"""Brinkmanship: a terminal game and engine of crisis diplomacy."""

__version__ = "0.1.0"
