"""I/O adapters: git, forges, cache, journal, auth, settings, the demo sandbox. Never imports the UI."""
