"""Modal dialogs: typed ModalScreen[T] that show data and return the user's choice; they never do I/O."""
