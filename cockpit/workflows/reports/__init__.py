"""Read-side reports, one module per job: status, next versions, checks, backport candidates, the forge's milestone
views and release notes, the tags overview and the next tags to check, coverage, notes since a tag and the release
gate. Each returns data that the CLI prints (as JSON per the CLI contract, or text) and the TUI renders; both call
the same functions. Import them from their modules: this package imports nothing, so a command pays only for the
reports it runs."""
