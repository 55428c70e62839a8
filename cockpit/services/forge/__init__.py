"""Forges: GitHub (PyGithub) and a local JSON stand-in with the same behaviour."""
