"""The fixed "world" the permission matrix runs against: one object of each kind on each side of the
province line (design.md "Users"), built once per module through the services."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import groups
from cases.extensions import extension_request
from cases.models import Attachment, Extension, SavedView
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category, Notification
from chainwork.reference import load_reference_data
from enterprises.models import CountrySituation, IndustryChain, IndustryChainLead, StatusReport
from liaison.models import ContactPhoto, ContactRecord, LiaisonAssignment
from policies.models import (
    Arrear,
    FinancingNeed,
    Policy,
    PolicyApplication,
    PolicyReserve,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)
from tests.base import make_personas
from tests.cases.workflow_support import ROUTE_MOT, case_in
from tests.conftest import build_chain
from tests.factories import automotive

ROLES = ["anonymous", "hubei", "hubei_lead", "guangdong", "guangdong_lead", "zhejiang", "ministry",
         "ministry_liaison", "liaison_hubei", "liaison_guangdong", "dept_mot", "dept_mof", "association", "admin"]


def build_world() -> dict:
    load_reference_data()
    personas = make_personas()
    chain = build_chain(personas)
    today = timezone.localdate()
    # The association (key field 汽车) covers the Hubei lead and no other enterprise of the world.
    chain["lead"].key_fields.add(automotive())

    # A Hubei problem, accepted and routed to 交通运输部 (dept_mot: limited), shared with Guangdong (协办).
    hubei_case = case_in("accepted", personas, chain)
    hubei_case = perform(case_id=hubei_case.pk, action="route", actor=personas.ministry, data=ROUTE_MOT)
    hubei_case = perform(case_id=hubei_case.pk, action="share", actor=personas.ministry,
                         data={"region": "44", "note": "请广东协助核实运输情况"})
    referral = hubei_case.referrals.get(department__slug="mot")

    guangdong_case = case_create(actor=personas.guangdong, data=CaseData(
        enterprise_id=chain["guangdong_lead"].pk, category_id=Category.objects.get(slug="logistics").pk,
        title="广州纺织原料进口受阻", description="港口滞留", request="请协调通关"))

    from cases.batches import batch_submit

    batch_case = case_in("new", personas, chain, title="成批提交的问题")
    batch = batch_submit(actor=personas.hubei, case_ids=[batch_case.pk], title="").batch

    attachment = Attachment.objects.create(
        case=hubei_case, token="matrixattachment0000000000000001", extension=".pdf",
        file=ContentFile(b"%PDF-1.4 matrix", name="m.pdf"), name="情况说明.pdf", size=15,
        content_type="application/pdf", uploaded_by=personas.hubei)

    notification = Notification.objects.create(user=personas.hubei, kind="urge", title="催办", url="/cases/")

    policy = Policy.objects.create(name="矩阵测试贷款贴息", slug="t-matrix-loan", sizes=[], amount_kind="loan",
                                   valid_from=today - dt.timedelta(days=10))
    application = PolicyApplication.objects.create(policy=policy, enterprise=chain["lead"], status="applied",
                                                   date=today, amount_wan=Decimal("10"), recorded_by=personas.hubei)

    # 产融对接 and 清欠 on the Hubei lead (the liaison officer's assigned enterprise).
    financing_need = FinancingNeed.objects.create(enterprise=chain["lead"], amount_wan=Decimal("500"),
                                                  purpose="working_capital", banks=["湖北银行"],
                                                  recorded_by=personas.hubei)
    arrear = Arrear.objects.create(creditor=chain["lead"], debtor_name="某区建设局", debtor_kind="government",
                                   contract="2025-017", owed_wan=Decimal("80"), recorded_by=personas.hubei)

    assignment = LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei,
                                                  cadence_days=3, started_on=today - dt.timedelta(days=30))
    contact = ContactRecord.objects.create(
        enterprise=chain["lead"], officer=personas.liaison_hubei, assignment=assignment,
        contacted_at=timezone.now() - dt.timedelta(days=1), summary="电话了解复工情况",
        next_follow_up=today + dt.timedelta(days=2))
    photo = ContactPhoto.objects.create(
        record=contact, token="matrixphoto000000000000000000001", extension=".png",
        file=ContentFile(b"\x89PNG\r\n\x1a\n", name="p.png"), name="现场.png", size=8, content_type="image/png",
        uploaded_by=personas.liaison_hubei)

    status_report = StatusReport.objects.create(enterprise=chain["lead"], date=today, resumed="yes",
                                                reported_by=personas.hubei)
    group = groups.group_create(title="跨省运输受阻", description="", actor=personas.ministry,
                                category=Category.objects.get(slug="logistics"))
    groups.group_add_case(group_id=group.pk, number=hubei_case.number, actor=personas.ministry)
    saved_view = SavedView.objects.create(owner=personas.hubei, name="我的视图", query="state=routed")

    # 申请延期: one pending on the 交通运输部 referral, one on a Hubei local problem.
    referral_extension = extension_request(referral_id=referral.pk, actor=personas.dept_mot, data={
        "reason": "需协调多省交通部门", "proposed_date": (today + dt.timedelta(days=20)).isoformat()})
    local_case = case_in("local", personas, chain, title="属地办理的问题")
    perform(case_id=local_case.pk, action="extend", actor=personas.hubei, data={
        "reason": "设备未到", "proposed_date": (today + dt.timedelta(days=20)).isoformat()})
    local_extension = Extension.objects.get(case=local_case)

    # 会商: the 部专班's 调度会 with 交通运输部 and 湖北 taking part, a decision for each on the Hubei problem;
    # and Guangdong's own 会商.
    from meetings import services as meetings

    meeting = meetings.consultation_create(actor=personas.ministry, data={
        "starts_at": timezone.now().isoformat(), "chair": "部专班负责同志",
        "participants": [{"kind": "department", "department": "mot"}, {"kind": "region", "region": "42"}],
        "agenda": [{"case": hubei_case.pk}]})
    due = (today + dt.timedelta(days=3)).isoformat()
    decision_mot = meetings.decision_record(consultation_id=meeting.pk, actor=personas.ministry, data={
        "text": "开通绿色通道", "owner": {"kind": "department", "department": "mot"}, "due_date": due,
        "case": hubei_case.pk})
    decision_hubei = meetings.decision_record(consultation_id=meeting.pk, actor=personas.ministry, data={
        "text": "组织员工返岗", "owner": {"kind": "region", "region": "42"}, "due_date": due, "case": hubei_case.pk})
    gd_meeting = meetings.consultation_create(actor=personas.guangdong_lead, data={
        "starts_at": timezone.now().isoformat(), "chair": "广东省专班负责同志"})

    # A difficulty the association registered for the Hubei lead: a new problem of Hubei.
    assoc_case = case_create(actor=personas.association, data=CaseData(
        enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="supply-chain").pk,
        title="协会代企业登记的困难", description="芯片库存告急", request="请协调芯片供应"))

    industry_chain, _created = IndustryChain.objects.get_or_create(slug="auto", defaults={"name": "汽车"})
    IndustryChainLead.objects.get_or_create(chain=industry_chain, enterprise=chain["lead"])
    situation = CountrySituation.objects.create(country="德国", kind="lockdown", started_on=today, source="通报")

    # 应对预案: a Hubei lead's draft (the province keeps it) and the 汽车 chain's plan in force (the 部专班's);
    # 政策储备 in study; the Hubei lead's 一企一策 with one measure.
    hubei_plan = ResponsePlan.objects.create(title="德国停工应对预案", lead=chain["lead"], actions="启用国内替代",
                                             owner_unit="武汉市经信局", recorded_by=personas.hubei)
    chain_plan = ResponsePlan.objects.create(title="汽车产业链应对预案", chain=industry_chain, actions="保障芯片供应",
                                             owner_unit="装备工业一司", state="in_force", in_force_on=today,
                                             recorded_by=personas.ministry)
    reserve = PolicyReserve.objects.create(title="进口替代首台套保险补偿", summary="建议", proposing_unit="装备工业一司",
                                           recorded_by=personas.ministry)
    service_plan = ServicePlan.objects.create(lead=chain["lead"], contact_unit="武汉市经信局",
                                              recorded_by=personas.hubei)
    measure = ServiceMeasure.objects.create(plan=service_plan, text="协调模具供应", responsible_unit="宜昌市经信局",
                                            deadline=today + dt.timedelta(days=5))

    return {
        "meeting": meeting, "gd_meeting": gd_meeting, "decision_mot": decision_mot,
        "decision_hubei": decision_hubei, "meeting_item": meeting.items.get(),
        "batch": batch,
        "industry_chain": industry_chain, "situation": situation, "hubei_plan": hubei_plan, "chain_plan": chain_plan,
        "reserve": reserve, "service_plan": service_plan, "measure": measure,
        "users": personas.all(), **chain, "hubei_case": hubei_case, "guangdong_case": guangdong_case,
        "referral": referral, "attachment": attachment, "notification": notification, "policy": policy,
        "application": application, "financing_need": financing_need, "arrear": arrear, "assignment": assignment, "contact": contact, "photo": photo,
        "status_report": status_report, "group": group, "saved_view": saved_view,
        "gd_link": chain["links"]["guangdong"],
        "referral_extension": referral_extension, "local_extension": local_extension, "assoc_case": assoc_case,
    }
