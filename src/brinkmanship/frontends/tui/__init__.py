"""The full-screen Textual interface: the only part of the package that imports Textual."""
