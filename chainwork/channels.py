"""Delivery channels for notifications. The in-app channel is the Notification row itself; the others
(e-mail, webhook for 政务微信 and similar, SMS) are sent by the `deliver_notification` task from the
NotificationDelivery outbox, which chainwork.notifications writes with the notification.

Outside messages carry only the problem number (inside the title), a short title and a link — never
the problem's text (design.md: outside what a user may see, nothing leaks).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chainwork import enqueue as queueing
from chainwork.models import Notification, NotificationDelivery, NotificationPreference, User

log = logging.getLogger(__name__)

IN_APP = "in_app"
CHANNEL_LABELS = {
    "email": gettext_lazy("电子邮件"),
    "webhook": gettext_lazy("政务微信等（Webhook）"),
    "sms": gettext_lazy("短信"),
}
# Kinds a user can set channels for (the problem timeline and the reminder kinds).
KIND_LABELS = {
    "case_event": gettext_lazy("问题动态"),
    "follow_up": gettext_lazy("联系到期提醒"),
    "case_overdue": gettext_lazy("问题超期提醒"),
    "referral_overdue": gettext_lazy("转办超期提醒"),
    "instruction_due": gettext_lazy("批示到期提醒"),
    "share_overdue": gettext_lazy("协办超期提醒"),
    "digest": gettext_lazy("每日汇总"),
}
REDELIVER_AFTER = dt.timedelta(minutes=5)  # an outbox row not sent by then is queued again by the sweep
CLAIM_LEASE = dt.timedelta(minutes=10)  # a claim older than this belongs to a worker that died


class DeliveryError(Exception):
    """A transient failure of an outside channel: the task retries with backoff."""


def absolute_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def message_text(notification: Notification) -> str:
    return f"{notification.title}\n{absolute_url(notification.url)}" if notification.url else notification.title


# --- channels -----------------------------------------------------------------------------------------


class EmailChannel:
    name = "email"

    def send(self, notification: Notification, user: User) -> bool:
        if not user.email:
            return False
        subject = _("【产业链协同复工复产】%(title)s") % {"title": notification.title}
        body = _("%(name)s，您好：\n\n%(text)s\n\n请登录系统查看详情。本邮件由系统自动发送，请勿回复。") % {
            "name": user, "text": message_text(notification)}
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [user.email])
        return True


class WebhookChannel:
    """POSTs JSON to settings.NOTIFY_WEBHOOK_URL (a 政务微信/企业微信 group robot or a relay)."""

    name = "webhook"

    def send(self, notification: Notification, user: User) -> bool:
        url = getattr(settings, "NOTIFY_WEBHOOK_URL", "")
        if not url:
            return False
        if not url.startswith(("http://", "https://")):
            raise ValueError("NOTIFY_WEBHOOK_URL must be http(s)")
        payload = {
            "msgtype": "text",
            "text": {"content": message_text(notification)},
            "kind": notification.kind, "title": notification.title, "url": absolute_url(notification.url),
            "user": user.username,
        }
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=getattr(settings, "NOTIFY_WEBHOOK_TIMEOUT", 5)) as answer:  # noqa: S310
                if answer.status >= 300:
                    raise DeliveryError(f"webhook answered {answer.status}")
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"webhook answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise DeliveryError(f"webhook unreachable: {error}") from error
        return True


class ConsoleSmsBackend:
    """Writes the message to the log: the default until a gateway is configured."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


class SmsChannel:
    name = "sms"

    def send(self, notification: Notification, user: User) -> bool:
        if not user.phone:
            return False
        backend = import_string(getattr(settings, "SMS_BACKEND", "chainwork.channels.ConsoleSmsBackend"))()
        backend.send(user.phone, message_text(notification))
        return True


CHANNELS = {"email": EmailChannel, "webhook": WebhookChannel, "sms": SmsChannel}


def channels_for(user_id: int, kind: str) -> list[str]:
    """The user's outside channels for the kind: their preference, else the default of the settings."""
    return channels_for_many({(user_id, kind)})[(user_id, kind)]


def channels_for_many(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], list[str]]:
    """channels_for() of many (user, kind) pairs, in one query."""
    default = [c for c in getattr(settings, "NOTIFY_DEFAULT_CHANNELS", ["email"]) if c in CHANNELS]
    chosen = dict.fromkeys(pairs, default)
    if pairs:
        users = {user_id for user_id, _kind in pairs}
        kinds = {kind for _user, kind in pairs}
        for preference in NotificationPreference.objects.filter(user_id__in=users, kind__in=kinds):
            key = (preference.user_id, preference.kind)
            if key in chosen:
                chosen[key] = [c for c in preference.channels if c in CHANNELS]
    return chosen


def preference_set(*, user, kind: str, channels: Iterable[str]) -> NotificationPreference:
    chosen = sorted({c for c in channels if c in CHANNELS})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channels": chosen})
    return preference


# --- queueing ---------------------------------------------------------------------------


def enqueue(pairs: Iterable[tuple[int, str]]) -> int:
    """Queue deliveries; a broker error is logged and the outbox row waits for the next sweep."""
    # With the broker down the outbox row stays unsent, and redeliver_pending() in the next sweep
    # queues it again: sending mail or a webhook here would put outside network I/O in the request.
    return sum(queueing.enqueue(deliver_notification, notification_id, channel, fallback=queueing.Fallback.SWEEP)
               for notification_id, channel in pairs)


def redeliver_pending(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue again the outbox rows not sent in time (the broker was down, or the worker died)."""
    now = now or timezone.now()
    max_attempts = getattr(settings, "NOTIFY_MAX_ATTEMPTS", 6)
    stale = (NotificationDelivery.objects.filter(sent_at__isnull=True, created_at__lt=now - REDELIVER_AFTER,
                                                 attempts__lt=max_attempts)
             .exclude(claimed_at__gte=now - CLAIM_LEASE)
             .values_list("notification_id", "channel")[:limit])
    return enqueue(list(stale))


@shared_task(bind=True, acks_late=True, autoretry_for=(DeliveryError, OSError, smtplib.SMTPException),
             retry_backoff=5, retry_backoff_max=600, retry_jitter=True, max_retries=5,
             soft_time_limit=30, time_limit=45)
def deliver_notification(self, notification_id: int, channel: str) -> bool:
    """Send one notification on one outside channel, once: the outbox row is claimed with a lease, so a
    duplicate or re-queued task does nothing while another worker holds it or after it was sent."""
    now = timezone.now()
    claimed = (NotificationDelivery.objects
               .filter(notification_id=notification_id, channel=channel, sent_at__isnull=True)
               .exclude(claimed_at__gte=now - CLAIM_LEASE)
               .update(claimed_at=now, attempts=F("attempts") + 1))
    if not claimed or channel not in CHANNELS:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        sent = CHANNELS[channel]().send(notification, notification.user)
    except Exception as error:
        NotificationDelivery.objects.filter(notification_id=notification_id, channel=channel).update(
            claimed_at=None, last_error=str(error)[:300])
        raise
    NotificationDelivery.objects.filter(notification_id=notification_id, channel=channel).update(
        sent_at=timezone.now(), last_error="" if sent else "skipped: no address")
    return sent

