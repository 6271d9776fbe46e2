"""Domain errors shared by every app. Services raise them; pages show the message beside the form,
the API maps them to the Contract's answers (404 scope, 403 role, 409 state, 400 input)."""

from django.core.exceptions import PermissionDenied, ValidationError


class NotPermitted(PermissionDenied):
    """The actor sees the object but their role may not do this (403)."""


class InvalidState(Exception):
    """The object is not in a state that allows this (409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def refuse_nul(data) -> None:
    """A body that reaches a service unvalidated (an action's payload) must not carry a NUL character:
    PostgreSQL text cannot store one, and the insert would fail as a server error."""
    from django.core.validators import ProhibitNullCharactersValidator

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(key)
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    for name, value in (data or {}).items():
        if any("\x00" in text for text in (*strings(name), *strings(value))):
            field = name if isinstance(name, str) and "\x00" not in name else "non_field_errors"
            raise ValidationError({field: ProhibitNullCharactersValidator.message})
