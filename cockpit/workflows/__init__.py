"""Guided operations and read-side reports, shared by the headless CLI and the TUI."""
