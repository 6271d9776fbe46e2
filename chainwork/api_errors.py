"""Domain errors → the Contract's HTTP answers, for API views.

Services and `cases.workflow.perform` raise Django's Http404, `NotPermitted`, `InvalidState` (and its
`StaleVersion`) and Django's ValidationError; a view that mixes in `DomainErrorsMixin` answers them
404, 403, 409 `{"detail": message}` and 400 `{field: [messages]}` (the approach of enterprises/api.py,
kept in one place so new API modules need not copy it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings

from chainwork.errors import InvalidState, NotPermitted


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("当前状态不允许此操作。")
    default_code = "invalid_state"


def validation_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's `{field: [messages]}` (`non_field_errors` for `__all__`)."""
    if hasattr(error, "error_dict"):
        return {(api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): [str(m) for m in messages]
                for key, messages in error.message_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in error.messages]}


class DomainErrorsMixin:
    """Answer domain errors as the Contract says: 403 role, 409 state or stale version, 400 input.

    (Http404 needs nothing here: DRF answers it 404 already.)
    """

    def handle_exception(self, exc):
        if isinstance(exc, NotPermitted):
            exc = exceptions.PermissionDenied(str(exc.args[0]) if exc.args else None)
        elif isinstance(exc, InvalidState):
            exc = Conflict(str(exc.message))
        elif isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(validation_detail(exc))
        return super().handle_exception(exc)


class ErrorSerializer(serializers.Serializer):
    """404, 403 and 409 answers (documentation only)."""

    detail = serializers.CharField()


IF_MATCH = re.compile(r'(?:W/)?"?(\d{1,9})"?')

IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="客户端所见版本（同 body 中的 version）· the version the client saw, like `version` in the body")


def client_version(request):
    """The version the client saw, as sent: `version` in the body, else the If-Match header (`"3"`,
    `W/"3"` or `3`); None when neither. `chainwork.errors.expected_version` checks its shape."""
    data = request.data
    version = data.get("version") if isinstance(data, Mapping) else None
    if version is None:
        header = request.headers.get("If-Match", "").strip()
        if header and header != "*":
            match = IF_MATCH.fullmatch(header)
            version = int(match.group(1)) if match else header
    return version
