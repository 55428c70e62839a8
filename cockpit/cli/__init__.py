"""The headless front end: the `cockpit` command (main.py) and one module per command group."""
