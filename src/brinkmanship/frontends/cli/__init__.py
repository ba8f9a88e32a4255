"""The ``brinkmanship`` command line."""

from brinkmanship.frontends.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
