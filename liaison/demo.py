"""Demo 联系服务记录 for the enterprises assigned to liaison-hubei, dates relative to today. One is
overdue (last contact three weeks ago, next follow-up long past), so the first reminder sweep after
`make run` starts sends its reminder; the others are up to date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from chainwork.models import User
from enterprises.models import Enterprise, StatusReport
from liaison.models import ContactChannel, ContactRecord, LiaisonAssignment

# enterprise key, days ago, channel, participants, summary, problems raised, next follow-up in days (from today)
CONTACTS = [
    ("dhgd", 1, ContactChannel.VISIT, "企业办公室主任张经理、生产部负责人",
     "走访企业，了解光模块产线复工进度，目前两条产线已恢复，第三条产线受芯片封装供应影响。",
     "核心供应商（深圳）芯片封装停产，影响光模块交付。", 2),
    ("dhgd", 4, ContactChannel.PHONE, "张经理", "电话了解员工返岗情况，返岗率约八成。", "", -1),
    ("jcqc", 21, ContactChannel.WECHAT, "企业联络群", "微信群了解零部件库存情况，库存可维持两周。",
     "跨省运输车辆通行不畅。", -18),
    ("hjmj", 2, ContactChannel.VIDEO, "总经理", "视频连线了解模具订单情况，订单充足，用工紧张。", "", 5),
]


def seed_assignments(enterprises: dict[str, Enterprise]) -> None:
    """liaison-hubei serves three Hubei enterprises."""
    officer = User.objects.filter(username="liaison-hubei").first()
    if officer is None:
        return
    for key in ("dhgd", "jcqc", "hjmj"):
        LiaisonAssignment.objects.get_or_create(
            enterprise=enterprises[key], ended_on=None,
            defaults={"officer": officer, "cadence_days": 3 if enterprises[key].is_lead else 7},
        )


@transaction.atomic
def seed_contacts(enterprises: dict[str, Enterprise]) -> int:
    """Create (or move to today's dates) the demo contact records; the number created."""
    officer = User.objects.filter(username="liaison-hubei").first()
    if officer is None:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    for key, days_ago, channel, participants, summary, problems, next_in in CONTACTS:
        enterprise = enterprises.get(key)
        if enterprise is None:
            continue
        assignment = LiaisonAssignment.objects.filter(enterprise=enterprise, officer=officer,
                                                      ended_on__isnull=True).first()
        if assignment is None:
            continue
        contacted_at = now - dt.timedelta(days=days_ago, hours=2)
        if assignment.started_on > contacted_at.date() - dt.timedelta(days=7):
            LiaisonAssignment.objects.filter(pk=assignment.pk).update(
                started_on=contacted_at.date() - dt.timedelta(days=30))
        _record, made = ContactRecord.objects.update_or_create(
            enterprise=enterprise, officer=officer, summary=summary,
            defaults={"assignment": assignment, "contacted_at": contacted_at, "channel": channel,
                      "participants": participants, "problems_raised": problems,
                      "next_follow_up": today + dt.timedelta(days=next_in)},
        )
        created += made
    # The latest record of the lead with a supply problem names the problem already registered for it.
    latest = ContactRecord.objects.filter(enterprise=enterprises.get("dhgd"), officer=officer).first()
    if latest is not None:
        case = Case.objects.filter(enterprise=latest.enterprise, source="contact").order_by("created_at").first()
        if case is not None:
            latest.problems.add(case)
        # Its figures of the day were taken in that call: the day's status report is the record's.
        day = timezone.localtime(latest.contacted_at).date()
        report = StatusReport.objects.filter(enterprise=latest.enterprise, date=day).first()
        if report is not None and latest.status_report_id != report.pk:
            latest.status_report = report
            latest.save(update_fields=["status_report"])
    return created
