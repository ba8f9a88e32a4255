"""What players and writers touch: the command line, plain mode, transcripts, the Textual UI."""
