from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class TokenThrottle(ScopedRateThrottle):
    """Reads the rate when it is needed, so a changed setting applies without a restart."""

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class ThrottledObtainAuthToken(ObtainAuthToken):
    """DRF's obtain_auth_token, throttled per address (API_TOKEN_RATE); failed logins also count
    toward the django-axes lockout."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [TokenThrottle]
    throttle_scope = "token"


obtain_auth_token = ThrottledObtainAuthToken.as_view()
