"""The screens and modal dialogs of the Textual front end, one small module each."""
