"""The full-screen Textual front end. Only modules in this package may import Textual."""
