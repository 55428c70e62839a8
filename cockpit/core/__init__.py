"""Pure release domain: versions, lines, checks, phases, plans. No I/O, no UI."""
