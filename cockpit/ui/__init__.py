"""The Textual UI. Never runs git or HTTP itself: it calls workflows and services from thread workers."""
