from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from chainwork.api_tokens import token_for


class TokenThrottle(ScopedRateThrottle):
    """Reads the rate when it is needed, so a changed setting applies without a restart."""

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class ThrottledObtainAuthToken(ObtainAuthToken):
    """DRF's obtain_auth_token, throttled per address (API_TOKEN_RATE); failed logins also count
    toward the django-axes lockout. An idle-expired token is replaced (chainwork/api_tokens.py)."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [TokenThrottle]
    throttle_scope = "token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"token": token_for(serializer.validated_data["user"]).key})


obtain_auth_token = ThrottledObtainAuthToken.as_view()
