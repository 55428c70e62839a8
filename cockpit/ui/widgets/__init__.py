"""Dashboard panes and parts."""
