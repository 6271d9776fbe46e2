"""各部门办理情况 (情况通报): for the 部专班, each department's record over a period — referrals received,
answered in time, answered late, still pending (of which overdue), sent back, extensions asked, average
days to answer; for a province the same for the 责任单位 of its local problems. One grouped query each.

A referral counts in the period it was routed in (its `created_at`); it is answered in time when the day
of its answer is not after its deadline (a granted extension moved that deadline). For a province, a
problem counts in the period it was registered in; its deadline is the one given at 属地办理 or the last
granted extension, and "sent back" is what left local handling unanswered (提交上报 or 并入).
Every received row is in exactly one of: in time, late, pending, sent back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, DateField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, CaseEvent, Extension, Level, Referral, State
from chainwork.errors import ValidationError
from chainwork.models import Role
from chainwork.scope import role_for

DEFAULT_DAYS = 30
MINISTRY_ROLES = (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN)
PROVINCE_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD)
NO_DEADLINE = dt.date(9999, 12, 31)
FIGURES = ("received", "in_time", "late", "pending", "overdue", "sent_back", "extensions")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def period_from(data, today: dt.date | None = None) -> Period:
    """?from=&to= as YYYY-MM-DD; by default the last 30 days up to today. A clear message otherwise."""
    today = today or timezone.localdate()
    values = {}
    for key, default in (("from", today - dt.timedelta(days=DEFAULT_DAYS - 1)), ("to", today)):
        raw = (data.get(key) or "").strip()
        if not raw:
            values[key] = default
            continue
        try:
            values[key] = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError({key: _("日期格式应为YYYY-MM-DD。")}) from None
    if values["from"] > values["to"]:
        raise ValidationError({"from": _("开始日期不能晚于结束日期。")})
    if (values["to"] - values["from"]).days > 366 * 3:
        raise ValidationError({"from": _("统计期间最长三年。")})
    return Period(values["from"], values["to"])


def record_kind(user) -> str:
    """"departments" for the 部专班 side, "units" for a province; others may not see a record."""
    role = role_for(user)
    if role in MINISTRY_ROLES:
        return "departments"
    if role in PROVINCE_ROLES:
        return "units"
    raise PermissionDenied(_("无权查看各部门办理情况。"))


def labels(kind: str) -> dict:
    if kind == "units":
        return {"title": _("各责任单位属地问题办理情况"), "unit": _("责任单位"), "received": _("交办问题"),
                "sent_back": _("转出（提交上报或并入）")}
    return {"title": _("各部门转办事项办理情况"), "unit": _("承办部门"), "received": _("收到转办"),
            "sent_back": _("退回")}


HEADERS = (gettext_lazy("按时反馈"), gettext_lazy("逾期反馈"), gettext_lazy("仍在办理"), gettext_lazy("其中超期"))


def _days(value) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _finish(raw) -> list[dict]:
    rows = []
    for row in raw:
        rows.append({"key": row["key"], "name": row["name"] or _("（未填写）"),
                     **{name: int(row[name] or 0) for name in FIGURES}, "avg_days": _days(row["avg_answer"])})
    return rows


def department_rows(user, period: Period, today: dt.date | None = None) -> list[dict]:
    """One row per department that received referrals in the period (the user's scope of referrals)."""
    today = today or timezone.localdate()
    asked = (Extension.objects.filter(referral=OuterRef("pk")).order_by().values("referral")
             .annotate(n=Count("pk")).values("n"))
    answered = Q(state=Referral.State.RESPONDED)
    late = answered & Q(responded_at__date__gt=F("due_date"))
    pending = Q(state=Referral.State.PENDING)
    raw = (Referral.objects.visible_to(user)
           .filter(created_at__date__gte=period.start, created_at__date__lte=period.end)
           .annotate(asked=Coalesce(Subquery(asked, output_field=IntegerField()), Value(0)))
           .values(key=F("department__slug"), name=F("department__name"))
           .annotate(received=Count("pk"), in_time=Count("pk", filter=answered & ~late),
                     late=Count("pk", filter=late), pending=Count("pk", filter=pending),
                     overdue=Count("pk", filter=pending & Q(due_date__lt=today)),
                     sent_back=Count("pk", filter=Q(state=Referral.State.SENT_BACK)), extensions=Sum("asked"),
                     avg_answer=Avg(F("responded_at") - F("created_at"), filter=answered))
           .order_by("-received", "name"))
    return _finish(raw)


def unit_rows(user, period: Period, now: dt.datetime | None = None) -> list[dict]:
    """One row per 责任单位 of the province's local problems registered in the period."""
    now = now or timezone.now()
    given = (CaseEvent.objects.filter(case=OuterRef("pk"), action="handle-locally").order_by("-created_at", "-pk")
             .annotate(day=Cast(KeyTextTransform("due_date", "data"), DateField())).values("day")[:1])
    granted = (Extension.objects.filter(case=OuterRef("pk"), referral__isnull=True, state=Extension.State.GRANTED)
               .order_by("-decided_at", "-pk").values("granted_date")[:1])
    asked = (Extension.objects.filter(case=OuterRef("pk"), referral__isnull=True).order_by().values("case")
             .annotate(n=Count("pk")).values("n"))
    answered = Q(responded_at__isnull=False, level=Level.LOCAL)
    late = answered & Q(responded_at__date__gt=F("deadline"))
    pending = Q(responded_at__isnull=True, level=Level.LOCAL, state__in=[State.LOCAL, State.TRACKING])
    raw = (Case.objects.visible_to(user).exclude(local_unit="")
           .filter(created_at__date__gte=period.start, created_at__date__lte=period.end)
           .annotate(deadline=Coalesce(Subquery(granted, output_field=DateField()),
                                       Subquery(given, output_field=DateField()), Value(NO_DEADLINE)),
                     asked=Coalesce(Subquery(asked, output_field=IntegerField()), Value(0)))
           .values(key=F("local_unit"), name=F("local_unit"))
           .annotate(received=Count("pk"), in_time=Count("pk", filter=answered & ~late),
                     late=Count("pk", filter=late), pending=Count("pk", filter=pending),
                     overdue=Count("pk", filter=pending & Q(due_at__lt=now)),
                     sent_back=Count("pk", filter=~answered & ~pending), extensions=Sum("asked"),
                     avg_answer=Avg(F("responded_at") - F("created_at"), filter=answered))
           .order_by("-received", "name"))
    return _finish(raw)


def totals(rows: list[dict]) -> dict:
    """The sums of the rows; the average weighted by the answers behind each row's average."""
    total = {name: sum(row[name] for row in rows) for name in FIGURES}
    answered = sum(row["in_time"] + row["late"] for row in rows if row["avg_days"] is not None)
    weighted = sum(row["avg_days"] * (row["in_time"] + row["late"]) for row in rows if row["avg_days"] is not None)
    total["avg_days"] = round(weighted / answered, 1) if answered else None
    return total


def record(user, period: Period) -> dict:
    """The record as pages, exports and the API give it."""
    kind = record_kind(user)
    rows = department_rows(user, period) if kind == "departments" else unit_rows(user, period)
    return {"kind": kind, "from": period.start.isoformat(), "to": period.end.isoformat(), "rows": rows,
            "totals": totals(rows)}


def export_rows(data: dict):
    for row in data["rows"]:
        yield [row["name"], row["received"], row["in_time"], row["late"], row["pending"], row["overdue"],
               row["sent_back"], row["extensions"], "—" if row["avg_days"] is None else row["avg_days"]]


def export_headers(kind: str) -> list[str]:
    names = labels(kind)
    return [names["unit"], names["received"], *(str(h) for h in HEADERS), names["sent_back"], _("申请延期"),
            _("平均反馈天数")]
