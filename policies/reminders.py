"""产融对接's due work: 融资跟进到期, a financing need's next follow-up date has come (reminded like the
一对一 contacts: once per need, state and date, to whoever recorded it). 一企一策's: a measure past its
deadline and not done, once per measure, state and deadline (a moved deadline is due again), to the
province work group of the lead's region and whoever drew up the plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chainwork.models import Role, User
from chainwork.reminders import BATCH, Due, Kind, Sweep, unclaimed, url
from policies.models import FINANCING_OPEN_STATES, MEASURE_OPEN_STATES, FinancingNeed, ServiceMeasure

FINANCING_FOLLOW_UP = "financing_follow_up"


def _work_groups(sweep: Sweep) -> dict[str, list[int]]:
    """Each region's active province officials, read once per sweep: they follow up a need whose recorder
    has left."""
    if "province_officials" not in sweep.shared:
        groups: dict[str, list[int]] = {}
        for pk, region in User.objects.filter(is_active=True, role__in=(Role.PROVINCE, Role.PROVINCE_LEAD)) \
                .values_list("pk", "region_id").order_by("pk"):
            groups.setdefault(region, []).append(pk)
        sweep.shared["province_officials"] = groups
    return sweep.shared["province_officials"]


def financing_follow_up(sweep: Sweep) -> None:
    rows = (FinancingNeed.objects.filter(state__in=FINANCING_OPEN_STATES, next_follow_up__lte=sweep.today)
            .filter(unclaimed(FINANCING_FOLLOW_UP, due_on="next_follow_up", state="state"))
            .select_related("enterprise", "recorded_by").order_by("next_follow_up", "pk")[:BATCH])
    sweep.process(FINANCING_FOLLOW_UP, rows, lambda need, batch: follow_up_due(sweep, need))


def follow_up_due(sweep: Sweep, need: FinancingNeed) -> Due:
    def recipients() -> list[int]:
        if need.recorded_by.is_active:
            return [need.recorded_by_id]
        return _work_groups(sweep).get(need.enterprise.list_region_id, [])

    def title() -> str:
        values = {"name": need.enterprise.name, "state": need.get_state_display(),
                  "days": (sweep.today - need.next_follow_up).days}
        if values["days"] > 0:
            return _("融资跟进提醒：%(name)s的融资需求（%(state)s）已超过跟进日期%(days)d天") % values
        return _("融资跟进提醒：今天应跟进%(name)s的融资需求（%(state)s）") % values

    return Due(kind=FINANCING_FOLLOW_UP, due_on=need.next_follow_up, subject_id=need.pk, state=need.state,
               recipients=recipients, title=title,
               url=url("policies-financing-detail", need.pk, fallback=f"/policies/financing/{need.pk}/"))


SERVICE_MEASURE_OVERDUE = "service_measure_overdue"


def service_measure_overdue(sweep: Sweep) -> None:
    rows = (ServiceMeasure.objects.filter(state__in=MEASURE_OPEN_STATES, deadline__lt=sweep.today)
            .filter(unclaimed(SERVICE_MEASURE_OVERDUE, due_on="deadline", state="state"))
            .select_related("plan__lead", "plan__recorded_by").order_by("deadline", "pk")[:BATCH])
    sweep.process(SERVICE_MEASURE_OVERDUE, rows, lambda measure, batch: measure_overdue_due(sweep, measure))


def measure_overdue_due(sweep: Sweep, measure: ServiceMeasure) -> Due:
    plan = measure.plan

    def recipients() -> list[int]:
        people = list(_work_groups(sweep).get(plan.lead.list_region_id, []))
        if plan.recorded_by.is_active:
            people.append(plan.recorded_by_id)
        return people

    def title() -> str:
        return _("一企一策措施超期：%(name)s“%(text)s”（%(unit)s）已超过完成时限%(days)d天") % {
            "name": plan.lead.name, "text": measure.text, "unit": measure.responsible_unit,
            "days": (sweep.today - measure.deadline).days}

    return Due(kind=SERVICE_MEASURE_OVERDUE, due_on=measure.deadline, subject_id=measure.pk, state=measure.state,
               recipients=recipients, title=title,
               url=url("policies-service-plan-detail", plan.pk, fallback=f"/policies/service-plans/{plan.pk}/"))


KINDS = (Kind(FINANCING_FOLLOW_UP, financing_follow_up), Kind(SERVICE_MEASURE_OVERDUE, service_measure_overdue))
