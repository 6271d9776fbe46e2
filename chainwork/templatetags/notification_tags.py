"""The unread-notification badge of the navigation (one count query per page)."""

from django import template
from django.urls import NoReverseMatch, reverse

from chainwork.models import Notification

register = template.Library()


@register.inclusion_tag("chainwork/partials/_notification_badge.html", takes_context=True)
def notification_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"url": None}
    try:
        url = reverse("chainwork-notifications")
    except NoReverseMatch:
        return {"url": None}
    return {"url": url, "unread": Notification.objects.filter(user=user, read_at__isnull=True).count()}
