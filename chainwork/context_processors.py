from django.utils import timezone

from chainwork.exports import watermark_text
from chainwork.menu import menu_for, menu_key


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    key = menu_key(current)
    return {"main_menu": menu_for(user, key), "watermark": watermark_text(user, timezone.now()),
            "watermark_tiles": range(24)}
