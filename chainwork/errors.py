"""Domain errors shared by every app. Services raise them; pages show the message beside the form,
the API maps them to the Contract's answers (404 scope, 403 role, 409 state, 400 input)."""

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401  (re-exported)


class NotPermitted(PermissionDenied):
    """The actor sees the object but their role may not do this (403)."""


class InvalidState(Exception):
    """The object is not in a state that allows this (409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
