"""Demo problems in every state: Hubei problems naming Guangdong and foreign suppliers, some shared with
Guangdong (协办); Guangdong problems not shared with Hubei; Zhejiang problems outside the ministry
liaison's regions; 申请延期 — one granted and one pending from 交通运输部, one local one waiting for the
Hubei lead. Built through the services with past times, so timelines and lights look real."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.extensions import extension_decide, extension_request
from cases.models import Case, Extension
from cases.referrals import perform_referral
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category, User

LOCAL = {"unit": "武汉市经济和信息化局", "person": "李科长", "phone": "027-85550000"}

# key, reporter, enterprise, named, category, urgency, days ago, title, request, steps
# steps: (action, user, payload, hours after creation)
PROBLEMS = [
    ("chip", "hubei", "dhgd", ["pcxp"], "supply-chain", "urgent", 6, "核心供应商芯片封装停产，光模块生产受阻",
     "请协调广东督促深圳鹏城芯片封装有限公司尽快复工，保障光芯片封装供应",
     [("submit", "hubei", {}, 2), ("approve", "hubei-lead", {"note": "同意上报"}, 5),
      ("accept", "ministry", {}, 20), ("share", "ministry", {"region": "44", "note": "请广东协调企业复工复产"}, 22),
      ("instruct", "ministry", {"text": "请部专班会同广东抓紧协调，三日内反馈", "due_date": "+3"}, 30),
      ("track", "ministry", {"next_review": "+2", "note": "持续跟踪复工进展"}, 50)]),
    ("route", "hubei", "jcqc", ["nsqd"], "logistics", "critical", 4, "零部件跨省运输车辆通行受阻",
     "请协调开通武汉至广州零部件运输绿色通道",
     [("submit", "hubei", {}, 1), ("approve", "hubei-lead", {}, 3), ("accept", "ministry", {}, 10),
      ("route", "ministry", {"referrals": [{"department": "mot", "role": "lead", "due_date": "+2"},
                                           {"department": "miit-ops", "role": "assist", "due_date": "+2"}],
                             "note": "请交通运输部牵头协调"}, 12),
      ("referral-extend", "dept-mot", {"reason": "需会同湖北、湖南、广东三省交通运输厅联合设卡协调，两天内难以办结。",
                                       "proposed_date": "+6"}, 14),
      ("extension-grant", "ministry", {"due_date": "+5", "note": "同意延期，请于新的时限前反馈。"}, 16)]),
    ("railway", "hubei", "jcwl", [], "logistics", "urgent", 2, "铁路货运专列运力不足",
     "请协调增开武汉至广州铁路货运专列",
     [("submit", "hubei", {}, 1), ("approve", "hubei-lead", {}, 2), ("accept", "ministry", {}, 6),
      ("route", "ministry", {"referrals": [{"department": "mot", "role": "lead", "due_date": "+1"}]}, 8),
      ("referral-extend", "dept-mot", {"reason": "需与国铁集团协商运力调配方案。", "proposed_date": "+7"}, 30)]),
    ("highway", "hubei", "jcwl", [], "logistics", "urgent", 7, "高速公路收费站货车排队严重",
     "请协调优化收费站通行，保障运输效率",
     [("submit", "hubei", {}, 2), ("approve", "hubei-lead", {}, 4), ("accept", "ministry", {}, 8),
      ("route", "ministry", {"referrals": [{"department": "mot", "role": "lead", "due_date": "+1"}]}, 9),
      ("referral-respond", "dept-mot", {"response": "已协调湖北省交通运输厅增开收费通道。"}, 40)]),
    ("meltblown", "hubei", "ctyl", ["shdz"], "raw-materials", "normal", 0, "熔喷材料供应不足",
     "请协调东莞松湖电子材料有限公司增加熔喷材料供应", []),
    ("staff", "hubei", "jcwl", [], "labour", "normal", 3, "驾驶员返岗不足",
     "请协助招聘货车驾驶员并落实返岗人员防疫要求",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+4"}, 3),
      ("extend", "hubei", {"reason": "外省驾驶员返岗需完成健康监测，招聘进度慢于预期。", "proposed_date": "+10"}, 20)]),
    ("loan", "hubei", "hjmj", [], "funding", "normal", 2, "流动资金紧张，贷款到期",
     "申请中小微企业贷款延期还本付息",
     [("submit", "hubei", {"note": "需协调金融监管部门"}, 6)]),
    ("customs", "hubei", "dhgd", ["npo"], "international", "critical", 2, "进口光学镜片清关延误",
     "请协调海关加快日本精密光学镜片通关",
     [("submit", "hubei", {}, 1), ("approve", "hubei-lead", {}, 2)]),
    ("power", "liaison-hubei", "jcqc", [], "energy", "urgent", 5, "园区用电负荷不足",
     "请协调电力部门增加园区供电容量",
     [("submit", "hubei", {}, 4), ("approve", "hubei-lead", {}, 6),
      ("return-for-info", "ministry", {"reason": "请补充用电缺口和已采取的措施"}, 30)]),
    ("export", "hubei", "ctyl", [], "epidemic-supplies", "urgent", 8, "防护用品出口认证咨询",
     "请说明出口防护用品的认证和质量标准要求",
     [("submit", "hubei", {}, 2), ("approve", "hubei-lead", {}, 4), ("accept", "ministry", {}, 20),
      ("respond", "ministry", {"response": "已协调商务部、市场监管总局说明出口认证要求，并提供办理指引。",
                               "closure_type": "explained"}, 70)]),
    ("warehouse", "hubei", "jcwl", [], "other", "normal", 9, "仓储场地租金减免",
     "请落实仓储场地租金减免政策",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+1"}, 4),
      ("respond", "hubei", {"response": "已协调园区减免三个月租金。", "closure_type": "solved"}, 60),
      ("confirm", "hubei", {"confirmed_by": "荆楚现代物流 王经理", "method": "电话", "satisfaction": "satisfied"}, 80)]),
    ("mould", "hubei", "hjmj", [], "labour", "normal", 12, "模具工人返岗",
     "请协助外省员工返岗",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+1"}, 2),
      ("respond", "hubei", {"response": "已组织包车接回员工68人。", "closure_type": "solved"}, 50),
      ("confirm", "hubei", {"confirmed_by": "汉江精密模具 刘总", "method": "书面", "satisfaction": "satisfied"}, 70),
      ("close", "hubei-lead", {"note": "销号"}, 75)]),
    ("lens", "hubei", "dhgd", ["npo"], "international", "urgent", 15, "光学镜片国际物流航班不足",
     "请协调增加国际货运航班",
     [("submit", "hubei", {}, 2), ("approve", "hubei-lead", {}, 4), ("accept", "ministry", {}, 10),
      ("respond", "ministry", {"response": "已协调增开货运航班。", "closure_type": "solved"}, 60),
      ("confirm", "hubei", {"confirmed_by": "东湖光电 陈总", "method": "电话", "satisfaction": "basically_satisfied"}, 70),
      ("close", "ministry", {}, 80)]),
    ("dyeing", "guangdong", "fsyl", [], "energy", "urgent", 3, "印染企业天然气供应不足",
     "请协调增加天然气供应，保障印染生产",
     [("submit", "guangdong", {}, 2), ("approve", "guangdong-lead", {}, 5), ("accept", "ministry", {}, 12)]),
    ("textile", "guangdong", "zjfz", [], "orders", "normal", 1, "外贸订单取消",
     "请协助拓展国内销售渠道", []),
    ("drums", "zhejiang", "nbhg", ["hzbz"], "raw-materials", "normal", 2, "包装桶供应短缺",
     "请协调包装企业复工", [("submit", "zhejiang", {}, 3)]),
    ("port", "zhejiang", "nbhg", [], "logistics", "urgent", 1, "港口集装箱周转不畅", "请协调港口加快集装箱周转", []),
    # 协办 asked by Hubei of Guangdong: one waiting (due in two days), one overdue, one answered in time.
    ("ecu", "hubei", "jcqc", ["nsqd"], "supply-chain", "urgent", 1, "汽车电子控制单元交付延迟",
     "请协调广州南沙汽车电子有限公司优先保障电子控制单元交付",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+5"}, 1),
      ("share", "hubei", {"region": "44", "note": "请协调广州南沙汽车电子有限公司优先安排江城汽车零部件的订单",
                          "due_date": "+2"}, 3)]),
    ("chemicals", "hubei", "dhgd", ["shdz"], "raw-materials", "normal", 6, "电子化学品供应中断",
     "请协调东莞松湖电子材料有限公司恢复电子化学品供货",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+6"}, 2),
      ("share", "hubei-lead", {"region": "44", "note": "请协调东莞松湖电子材料有限公司尽快恢复供货，并反馈复产时间",
                               "due_date": "-2"}, 5)]),
    ("packing", "hubei", "dhgd", ["pcxp"], "logistics", "normal", 5, "芯片封装成品发运受阻",
     "请协调深圳鹏城芯片封装有限公司成品发运",
     [("handle-locally", "hubei", {**LOCAL, "due_date": "+5"}, 1),
      ("share", "hubei", {"region": "44", "note": "请协调深圳方面保障封装成品发运", "due_date": "-2"}, 4),
      ("share-reply", "guangdong", {"text": "已协调深圳市交通运输局为鹏城芯片办理重点物资运输车辆通行证，成品已于当日发运。"},
       30)]),
    # Difficulties the national automotive association (assoc-auto) registered for its enterprises: one
    # waiting for Hubei's triage, one Guangdong handles locally.
    ("assoc-chip", "assoc-auto", "jcqc", [], "supply-chain", "urgent", 1, "车规级芯片库存告急，整车配套面临断供",
     "请协调车规级芯片供应，保障整车厂配套", []),
    ("assoc-staff", "assoc-auto", "nsqd", [], "labour", "normal", 3, "技术工人返岗不足，产线开工率偏低",
     "请协助组织技术工人返岗，落实返岗防疫要求",
     [("handle-locally", "guangdong", {"unit": "广州市工业和信息化局", "person": "黄科长", "phone": "020-83330000",
                                       "due_date": "+4"}, 5)]),
]


def _resolve(value, today: dt.date):
    """"+3" → the date three days from today ("-2" two days ago), anywhere in the payload."""
    if isinstance(value, dict):
        return {key: _resolve(item, today) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, today) for item in value]
    if isinstance(value, str) and value[:1] in "+-" and value[1:].isdigit():
        return (today + dt.timedelta(days=int(value))).isoformat()
    return value


@transaction.atomic
def seed_cases(enterprises: dict) -> int:
    users = {u.username: u for u in User.objects.filter(username__in={
        "hubei", "hubei-lead", "guangdong", "guangdong-lead", "zhejiang", "ministry", "liaison-hubei", "dept-mot",
        "assoc-auto"})}
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    for _key, reporter, enterprise, named, category, urgency, days, title, request, steps in PROBLEMS:
        if Case.objects.filter(title=title, enterprise=enterprises[enterprise]).exists():
            continue  # seeded already: the demo is loaded once and kept
        start = now - dt.timedelta(days=days, hours=1)
        case = case_create(actor=users[reporter], at=start, data=CaseData(
            enterprise_id=enterprises[enterprise].pk, category_id=categories[category].pk, title=title,
            description=f"{enterprises[enterprise].name}反映：{title}。", request=request, urgency=urgency,
            named_enterprise_ids=[enterprises[k].pk for k in named]))
        for action, username, payload, hours in steps:
            at = min(start + dt.timedelta(hours=hours), now)
            if action == "referral-extend":
                extension_request(referral_id=case.referrals.get(department__slug="mot").pk, actor=users[username],
                                  data=_resolve(payload, today))
                continue
            if action == "extension-grant":
                pending = case.extensions.get(state=Extension.State.PENDING)
                extension_decide(extension_id=pending.pk, decision="grant", actor=users[username],
                                 data=_resolve(payload, today))
                continue
            if action.startswith("referral-"):
                referral = case.referrals.get(department__slug="mot")
                perform_referral(referral_id=referral.pk, action=action.removeprefix("referral-"),
                                 actor=users[username], data=payload)
                continue
            perform(case_id=case.pk, action=action, actor=users[username], data=_resolve(payload, today), at=at)
        created += 1
    return created
