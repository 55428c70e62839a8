"""Release Cockpit: a terminal cockpit for falco-style releases."""

__version__ = "0.1.0"
