"""监测 for the 会商: for a region, a key field or a lead's chain, the daily 复工率 / 员工到岗率 / 达产率 over the
last weeks (from each day's reports), and the enterprises whose status fell since the last 会商 — ready
to be taken up. Rates as the dashboard counts them (reports.figures: 部分复工 counts as resumed; 到岗率 and
达产率 are sums over the day's reports). Enterprises are those the user sees in full; each figure is one
grouped query on StatusReport's (date, enterprise) index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from chainwork.models import KeyField, Region
from enterprises.models import Enterprise, Resumption, StatusReport, SupplyLink
from meetings.models import Consultation
from reports.figures import RESUMED, rate

WEEKS = 4
FALL = 10.0  # percentage points of 到岗率 or 达产率 that count as a fall
LIMIT = 50
RANK = {Resumption.YES: 2, Resumption.PARTLY: 1, Resumption.NO: 0}


@dataclass(frozen=True)
class Area:
    """What is watched: a region, a key field, a lead's chain — or, with none chosen, the lead enterprises
    the user sees (a national watch over every enterprise would read millions of reports)."""

    region: Region | None = None
    key_field: KeyField | None = None
    lead: Enterprise | None = None

    def enterprises(self, user):
        rows = Enterprise.objects.visible_to(user)
        if self.region is not None:
            rows = rows.filter(list_region=self.region)
        if self.key_field is not None:
            rows = rows.filter(key_fields=self.key_field)
        if self.lead is not None:
            partners = SupplyLink.objects.filter(lead=self.lead).values("partner_id")
            rows = rows.filter(Q(pk=self.lead.pk) | Q(pk__in=partners))
        if self.region is None and self.key_field is None and self.lead is None:
            rows = rows.filter(is_lead=True)
        return rows


def area_from(user, params) -> Area:
    """The watched area from the query string; a choice the user may not see is ignored."""
    region = Region.objects.filter(code=params.get("region", "")).first()
    key_field = KeyField.objects.filter(slug=params.get("key_field", "")).first()
    lead = None
    if str(params.get("lead", "")).isdecimal():
        lead = Enterprise.objects.visible_to(user).filter(pk=int(params["lead"]), is_lead=True).first()
    return Area(region=region, key_field=key_field, lead=lead)


def _pct(row: dict) -> dict:
    return {"resumption": rate(row["resumed"], row["total"])["pct"],
            "staff": rate(row["at_work"], row["headcount"])["pct"],
            "output": rate(row["produced"], row["capacity"])["pct"]}


def trend(user, area: Area, *, today: dt.date | None = None, weeks: int = WEEKS) -> list[dict]:
    """One row per day with reports: date and the three rates (percent, None without a denominator)."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(weeks=weeks)
    rows = (StatusReport.objects.filter(date__gte=start, date__lte=today,
                                        enterprise_id__in=area.enterprises(user).values("pk"))
            .values("date").annotate(total=Count("pk"), resumed=Count("pk", filter=Q(resumed__in=RESUMED)),
                                     at_work=Sum("staff_at_work", filter=Q(staff_normal__isnull=False)),
                                     headcount=Sum("staff_normal", filter=Q(staff_at_work__isnull=False)),
                                     produced=Sum("output", filter=Q(output_normal__isnull=False)),
                                     capacity=Sum("output_normal", filter=Q(output__isnull=False)))
            .order_by("date"))
    return [{"date": row["date"].isoformat(), **_pct(row)} for row in rows]


def last_meeting_day(user, today: dt.date | None = None) -> dt.date:
    """The day of the latest 会商 held that the user sees, or a week back."""
    today = today or timezone.localdate()
    held = (Consultation.objects.visible_to(user).filter(state=Consultation.State.HELD,
                                                         starts_at__lt=timezone.now())
            .order_by("-starts_at").values_list("starts_at", flat=True).first())
    return timezone.localtime(held).date() if held else today - dt.timedelta(days=7)


def _ratio(part, whole) -> float | None:
    return float(part) * 100 / float(whole) if part is not None and whole else None


def _status(report) -> dict:
    return {"resumed": report["resumed"],
            "staff": _ratio(report["staff_at_work"], report["staff_normal"]),
            "output": _ratio(report["output"], report["output_normal"])}


def latest_day(rows: list[dict], since: dt.date) -> dt.date | None:
    """The latest day after `since` with reports, from trend()'s rows (None: none in its weeks)."""
    return max((day for day in (dt.date.fromisoformat(row["date"]) for row in rows) if day > since), default=None)


def fallen(user, area: Area, since: dt.date, *, latest: dt.date | None, limit: int = LIMIT) -> list[dict]:
    """Enterprises whose report of the `latest` day (latest_day) is worse than their report of `since`:
    resumption stepped down, or 到岗率 / 达产率 down by FALL points or more; the largest falls first."""
    if latest is None:
        return []
    # Both days' reports in one query over the listed ids: the planner then walks the (date, enterprise)
    # index, where a subquery of the area led it to hash every report of both days nationally.
    ids = list(area.enterprises(user).values_list("pk", flat=True).order_by())
    fields = ("enterprise_id", "date", "resumed", "staff_at_work", "staff_normal", "output", "output_normal")
    before, now = {}, {}
    for report in StatusReport.objects.filter(date__in=[since, latest], enterprise_id__in=ids).values(*fields) \
            .order_by():
        (before if report["date"] == since else now)[report["enterprise_id"]] = _status(report)
    falls = []
    for pk, was in before.items():
        is_ = now.get(pk)
        if is_ is None:
            continue
        drops = [was[k] - is_[k] for k in ("staff", "output") if was[k] is not None and is_[k] is not None]
        stepped = RANK.get(is_["resumed"], 0) < RANK.get(was["resumed"], 0)
        worst = max(drops, default=0.0)
        if stepped or worst >= FALL:
            falls.append({"enterprise_id": pk, "was": was, "now": is_, "stepped": stepped, "drop": worst})
    falls.sort(key=lambda f: (not f["stepped"], -f["drop"], f["enterprise_id"]))
    falls = falls[:limit]
    names = dict(Enterprise.objects.filter(pk__in=[f["enterprise_id"] for f in falls]).values_list("pk", "name"))
    for f in falls:
        f["name"] = names.get(f["enterprise_id"], "")
        f["latest"] = latest
        for status in (f["was"], f["now"]):
            status["resumed_label"] = Resumption(status["resumed"]).label
    return falls
