"""API tokens that expire when idle (API_TOKEN_IDLE_SECONDS) and die with the password (models.User.save).

DRF's TokenAuthentication, plus the time of last use kept in TokenUse: a token unused for longer than
the setting is deleted when next presented, and the token endpoint then hands out a fresh one. The time
is written at most once a minute per token, not on every request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from chainwork.models import TokenUse

TOUCH_EVERY = dt.timedelta(minutes=1)


def _idle_limit() -> dt.timedelta | None:
    seconds = settings.API_TOKEN_IDLE_SECONDS
    return dt.timedelta(seconds=seconds) if seconds else None


def _last_used(token: Token) -> dt.datetime:
    use = TokenUse.objects.filter(token=token).values_list("last_used_at", flat=True).first()
    return use or token.created


def expired(token: Token, now: dt.datetime) -> bool:
    limit = _idle_limit()
    return limit is not None and now - _last_used(token) > limit


def touch(token: Token, now: dt.datetime) -> None:
    if now - _last_used(token) >= TOUCH_EVERY:
        TokenUse.objects.update_or_create(token=token, defaults={"last_used_at": now})


def token_for(user) -> Token:
    """The user's token for the token endpoint: the current one, or a new one when it expired."""
    now = timezone.now()
    token, created = Token.objects.get_or_create(user=user)
    if not created and expired(token, now):
        token.delete()
        token = Token.objects.create(user=user)
    TokenUse.objects.update_or_create(token=token, defaults={"last_used_at": now})
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        now = timezone.now()
        if expired(token, now):
            token.delete()
            raise AuthenticationFailed(_("令牌长时间未使用，已失效，请重新获取。"))
        touch(token, now)
        return user, token
