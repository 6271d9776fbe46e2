"""Domain errors shared by every app. Services raise them; pages show the message beside the form,
the API maps them to the Contract's answers (404 scope, 403 role, 409 state, 400 input)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class NotPermitted(PermissionDenied):
    """The actor sees the object but their role may not do this (403)."""


class InvalidState(Exception):
    """The object is not in a state that allows this (409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleVersion(InvalidState):
    """Someone else changed the object since the actor loaded it (409)."""


def expected_version(raw) -> int | None:
    """The version the client saw: a whole number, or None when it sent none."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw.strip()) < 10:
        return int(raw.strip())
    raise ValidationError({"version": _("版本应为正整数。")})


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


def show_on_form(form, error: ValidationError) -> None:
    """A service's ValidationError on the page's form: each message beside its field, or above the form
    when the field is not on it."""
    named = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for name, field_messages in named:
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)
