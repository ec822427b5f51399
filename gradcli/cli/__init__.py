"""The command line: Typer commands, options, exit codes, reading files and stdin."""
