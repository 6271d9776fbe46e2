"""Demo 会商 (seed_demo): a 调度会 three days ago, held, with a decision done and one open for each of
交通运输部 and 湖北; and today's 调度会 with its agenda proposed. Dates relative to today; loaded once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case, Referral
from chainwork.models import User
from meetings import services
from meetings.models import Consultation

ASSOCIATION = "中国汽车工业协会"


def _participants() -> list[dict]:
    association = {"kind": "association", "name": ASSOCIATION}
    if User.objects.filter(username="assoc-auto", is_active=True).exists():
        association["user"] = "assoc-auto"
    return [{"kind": "ministry"}, {"kind": "department", "department": "mot"},
            {"kind": "department", "department": "ndrc"}, {"kind": "region", "region": "42"},
            {"kind": "region", "region": "44"}, association]


def seed_meetings() -> int:
    if Consultation.objects.exists():
        return 0
    ministry = User.objects.get(username="ministry")
    today = timezone.localdate()
    at_nine = dt.time(9, 0)
    past_day = today - dt.timedelta(days=3)
    past = services.consultation_create(actor=ministry, data={
        "kind": "dispatch", "starts_at": timezone.make_aware(dt.datetime.combine(past_day, at_nine)),
        "place": "部专班视频会议室", "chair": "部专班负责同志", "participants": _participants()})
    routed = (Case.objects.filter(region_id="42", referrals__department__slug="mot",
                                  referrals__state=Referral.State.PENDING).order_by("pk").first()
              or Case.objects.filter(region_id="42", level="ministry").order_by("pk").first())
    agenda = [{"case": routed.pk, "minutes": "交通运输部通报了运输协调进展，湖北省专班补充了企业复工情况。"}] if routed else []
    services.consultation_update(consultation_id=past.pk, actor=ministry, data={
        "state": "held", "agenda": agenda,
        "minutes": "会议听取了交通运输部和湖北省专班关于重点企业物流受阻问题的汇报，研究了跨省运输保障措施。"})
    mot = User.objects.filter(username="dept-mot").first()
    hubei = User.objects.filter(username="hubei").first()
    plans = [
        ({"kind": "department", "department": "mot"}, "协调开通重点物资运输绿色通道，保障配套企业原材料运入", -1, mot),
        ({"kind": "region", "region": "42"}, "督促企业所在地落实员工返岗包车和防疫措施", -2, hubei),
        ({"kind": "department", "department": "mot"}, "会同有关省份建立跨省运输问题日调度机制", 4, None),
        ({"kind": "region", "region": "42"}, "梳理全省配套企业复工缺口，报部专班", 1, None),
        ({"kind": "ministry"}, "汇总各方意见，形成跨省物流保障工作方案", -1, None),
    ]
    for owner, text, days, done_by in plans:
        decision = services.decision_record(consultation_id=past.pk, actor=ministry, data={
            "text": text, "owner": owner, "due_date": (today + dt.timedelta(days=days)).isoformat(),
            "case": routed.pk if routed else None})
        if done_by is not None:
            services.decision_done(decision_id=decision.pk, actor=done_by, data={"note": "已按议定要求落实。"})
    todays = services.consultation_create(actor=ministry, data={
        "kind": "dispatch", "starts_at": timezone.make_aware(dt.datetime.combine(today, dt.time(16, 0))),
        "place": "部专班视频会议室", "chair": "部专班负责同志", "participants": _participants()})
    services.agenda_propose(consultation_id=todays.pk, actor=ministry)
    return 2
