"""Errors of the filing workflow; each carries a message for the user, in the user's language."""


class FilingError(Exception):
    def __init__(self, message, *, findings=()):
        super().__init__(str(message))
        self.message = message
        self.findings = list(findings)


class TransitionNotAllowed(FilingError):
    """The transition does not start from the object's current state."""


class TransitionForbidden(FilingError):
    """The user may not perform this transition on this object."""


class TransitionBlocked(FilingError):
    """Conditions unmet: ``findings`` says what to fix (pre-flight errors, missing documents)."""


class ConcurrentChange(FilingError):
    """A colleague changed the object since it was loaded; nothing was saved."""
