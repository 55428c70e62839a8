"""I/O adapters: git, forges, cache, journal, auth, settings. Never imports the UI."""
