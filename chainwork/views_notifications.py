"""站内通知 page: the user's own notifications (newest first), open one (marks it read and follows its
link), mark all read, and the outside channels the user wants per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainwork.api_notifications import notification_read, notifications_read_all
from chainwork.channels import CHANNEL_LABELS, KIND_LABELS, channels_for, preference_set
from chainwork.models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    mine = Notification.objects.filter(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(mine.filter(read_at__isnull=True) if unread_only else mine, PAGE_SIZE).get_page(
        request.GET.get("page"))
    preferences = [{"kind": kind, "label": label, "channels": channels_for(request.user.pk, kind)}
                   for kind, label in KIND_LABELS.items()]
    return render(request, "chainwork/notifications.html", {
        "page": page, "unread_only": unread_only, "unread_count": mine.filter(read_at__isnull=True).count(),
        "preferences": preferences, "channel_labels": CHANNEL_LABELS.items(),
        "query": "unread=1" if unread_only else "",
    })


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)
    notification_read(notification=notification, user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("chainwork-notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_read_all(user=request.user)
    messages.success(request, _("已将%(n)d条通知标为已读。") % {"n": count})
    return redirect("chainwork-notifications")


@login_required
@require_POST
def preferences_save(request):
    for kind in KIND_LABELS:
        preference_set(user=request.user, kind=kind, channels=request.POST.getlist(f"channels-{kind}"))
    messages.success(request, _("推送设置已保存。"))
    return redirect("chainwork-notifications")
