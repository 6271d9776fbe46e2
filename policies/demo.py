"""Demo take-up of the policy catalogue for `seed_demo`: Hubei and Guangdong enterprises recommended,
applying, granted with amounts and refused; their financing needs (产融对接) in every state and arrears
(清欠) repaid in steps; 应对预案, 政策储备 and 一企一策; dated relative to today. Idempotent: a rerun adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chainwork.models import Role, User
from policies.catalogue import load_policies
from policies.models import Policy, PolicyApplication

# enterprise key, policy slug, status, days ago, amount (万元), recorded by, notes
APPLICATIONS = [
    ("hjmj", "relending", "recommended", 10, None, "hubei", "列入支小再贷款推荐名单"),
    ("hjmj", "relending", "applied", 8, "500", "hubei", "向合作银行申请复工贷款"),
    ("hjmj", "relending", "granted", 3, "300", "hubei", "获批再贷款资金支持的优惠贷款"),
    ("ctyl", "epidemic-supplies", "recommended", 12, None, "hubei", "纳入防疫物资重点保障企业"),
    ("ctyl", "epidemic-supplies", "granted", 5, None, "hubei", "熔喷材料运输纳入保障"),
    ("jcwl", "loan-deferral", "recommended", 9, None, "hubei", ""),
    ("jcwl", "loan-deferral", "applied", 7, "800", "hubei", "申请贷款本息延期至年底"),
    ("jcwl", "loan-deferral", "refused", 2, None, "hubei", "银行认为不符合流动性暂时困难条件，已建议补充材料后再申请"),
    ("dhgd", "job-retention-refund", "recommended", 6, None, "liaison-hubei", "走访时告知稳岗返还政策"),
    ("dhgd", "job-retention-refund", "granted", 1, "120.50", "hubei", "失业保险稳岗返还到账"),
    ("shdz", "relending", "recommended", 4, None, "guangdong", ""),
    ("shdz", "loan-deferral", "granted", 2, "200", "guangdong", "延期还本付息六个月"),
    ("pcxp", "job-retention-refund", "recommended", 5, None, "guangdong", "停产期间稳岗"),
]


@transaction.atomic
def seed_policies_demo(enterprises: dict) -> int:
    load_policies()
    policies = {p.slug: p for p in Policy.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in={row[5] for row in APPLICATIONS})}
    fallback = User.objects.filter(username="ministry").first() or User.objects.filter(role=Role.MINISTRY).first()
    today = timezone.localdate()
    created = 0
    for key, slug, status, days, amount, recorder, notes in APPLICATIONS:
        enterprise, policy = enterprises.get(key), policies.get(slug)
        recorded_by = users.get(recorder) or fallback
        if enterprise is None or policy is None or recorded_by is None:
            continue
        _row, new = PolicyApplication.objects.get_or_create(
            policy=policy, enterprise=enterprise, status=status, date=today - dt.timedelta(days=days),
            defaults={"amount_wan": Decimal(amount) if amount else None, "notes": notes,
                      "recorded_by": recorded_by},
        )
        created += new
    return created + seed_money_demo(enterprises) + seed_plans_demo(enterprises)


# 产融对接: enterprise, lead it serves, amount, purpose, urgency, banks, recorded by,
# steps as (step, days ago, amount), follow-up in days (negative: overdue), notes
NEEDS = [
    ("hjmj", "jcqc", "600", "working_capital", "urgent", ["中国工商银行宜昌分行", "湖北银行"], "hubei",
     [("match", 10, None), ("credit", 7, "500"), ("disburse", 3, "450")], None, "模具钢材采购资金缺口，订单已恢复"),
    ("hjmj", "jcqc", "200", "equipment", "normal", ["中国建设银行宜昌分行"], "liaison-hubei",
     [("match", 2, None)], 0, "更新数控加工中心"),
    ("jcwl", "dhgd", "300", "equipment", "critical", ["湖北银行", "汉口银行"], "hubei", [], -2,
     "购置冷链运输车辆，保障光电产品及防护用品配送"),
    ("shdz", "ctyl", "350", "materials", "urgent", ["中国银行东莞分行"], "guangdong",
     [("match", 6, None), ("credit", 2, "300")], 3, "熔喷材料原料采购"),
    ("fsyl", "zjfz", "150", "payroll", "normal", ["广东顺德农村商业银行"], "guangdong",
     [("match", 9, None), ("refuse", 4, None)], None, "停产期间工资发放"),
]
REFUSAL = "缺少有效抵押物，已推荐申请政府性融资担保"

# 清欠: creditor, debtor, kind, contract, owed, recorded by, repayments (days ago, amount), dispute, funding problem
ARREARS = [
    ("hjmj", "江城汽车零部件股份有限公司", "large", "模具采购合同 JC-2025-031", "180", "hubei",
     [(5, "80"), (1, "100")], "", True),
    ("jcwl", "武汉市某区交通运输局", "government", "应急物资运输服务合同", "95", "hubei", [(4, "40")], "", False),
    ("shdz", "东莞市某国有投资集团有限公司", "state_owned", "电子材料供货合同 DG-2025-117", "260", "guangdong", [], "",
     False),
    ("fsyl", "佛山某服装贸易有限公司", "other", "印染加工合同 FS-2025-009", "48", "guangdong", [],
     "对方认为部分批次色差超标，拒付尾款", False),
]


def seed_money_demo(enterprises: dict) -> int:
    """Financing needs in every state and arrears repaid in steps, for 产融对接, 清欠 and 整体效益."""
    from cases.models import Case
    from policies.models import Arrear, ArrearRepayment, FinancingNeed

    users = {u.username: u for u in User.objects.filter(username__in={"hubei", "guangdong", "liaison-hubei"})}
    today = timezone.localdate()
    created = 0
    for key, lead, amount, purpose, urgency, banks, recorder, steps, follow_up, notes in NEEDS:
        enterprise, by = enterprises.get(key), users.get(recorder)
        if enterprise is None or by is None or FinancingNeed.objects.filter(enterprise=enterprise, notes=notes).exists():
            continue
        need = FinancingNeed(enterprise=enterprise, lead=enterprises.get(lead), amount_wan=Decimal(amount),
                             purpose=purpose, urgency=urgency, banks=banks, notes=notes, recorded_by=by)
        for step, days, value in steps:
            day = today - dt.timedelta(days=days)
            if step == "match":
                need.state, need.matched_on = "matched", day
            elif step == "credit":
                need.state, need.credited_on, need.credit_wan = "credited", day, Decimal(value)
            elif step == "disburse":
                need.state, need.disbursed_on, need.disbursed_wan = "disbursed", day, Decimal(value)
            else:
                need.state, need.refused_on, need.refusal_reason = "refused", day, REFUSAL
        need.next_follow_up = today + dt.timedelta(days=follow_up) if follow_up is not None else None
        need.save()
        created += 1
    for key, debtor, kind, contract, owed, recorder, repayments, dispute, funding in ARREARS:
        creditor, by = enterprises.get(key), users.get(recorder)
        if creditor is None or by is None or Arrear.objects.filter(creditor=creditor, contract=contract).exists():
            continue
        case = Case.objects.filter(enterprise=creditor, category__slug="funding").first() if funding else None
        repaid = sum((Decimal(a) for _d, a in repayments), Decimal("0"))
        state = "disputed" if dispute else "paid" if repaid >= Decimal(owed) else "partly" if repaid else "unpaid"
        arrear = Arrear.objects.create(creditor=creditor, debtor_name=debtor, debtor_kind=kind, contract=contract,
                                       owed_wan=Decimal(owed), repaid_wan=repaid, state=state, dispute_reason=dispute,
                                       case=case, recorded_by=by)
        for days, amount in repayments:
            ArrearRepayment.objects.create(arrear=arrear, date=today - dt.timedelta(days=days),
                                           amount_wan=Decimal(amount), recorded_by=by)
        created += 1
    return created


# --- 应对预案, 政策储备 and 一企一策 (issue #22) -----------------------------------------------------------

PLAN_ACTIONS = (
    "启用深圳前海车规芯片替代九州功率半导体，组织样品验证\n"
    "协调江城汽车、南沙汽车电子按21天库存排产，优先保障整车厂急需车型\n"
    "商务部门对接日本驻华机构，争取已完工订单优先出运\n"
    "交通运输部门为替代物料开辟绿色通道")

RESERVES = [
    # title, proposing unit, summary, chains, state, policy slug (issued), days ago
    ("关键零部件国产替代首台套保险补偿", "装备工业一司",
     "对因境外停工改用国内替代零部件的整车及零部件企业，给予首台（套）、首批次保险补偿，降低替代试用风险。",
     ["auto", "electronics"], "studying", None),
    ("受境外疫情影响企业进口关键零部件关税阶段性减免", "运行监测协调局",
     "对日本、韩国停工期间确需进口的车规级芯片、功率半导体，建议阶段性减免进口关税并加快通关。",
     ["auto"], "submitted", None),
    ("支持产业链龙头企业稳链专项再贷款", "财务司", "对重点产业链龙头企业及其核心配套企业给予专项再贷款额度支持。",
     ["auto", "electronics", "medical"], "issued", "relending"),
]

# measure, responsible unit, deadline (days from today), state, progress, done days ago
MEASURES = [
    ("协调冲压模具供应商汉江精密模具复工达产", "宜昌市经信局", -6, "done", "已于上周全面复工，模具按期交付", 4),
    ("落实支小再贷款优惠贷款500万元", "人民银行武汉分行", 5, "in_progress", "银行已受理，正在审批", None),
    ("协调车身电子控制单元（广州南沙）跨省运输", "湖北省交通运输厅", -2, "blocked", "粤鄂两地通行证互认未落实", None),
    ("组织200名员工返岗专车", "武汉市人社局", -1, "planned", "", None),
    ("申报稳岗返还", "武汉市人社局", 10, "planned", "", None),
]


def seed_plans_demo(enterprises: dict) -> int:
    """The 汽车 chain's plan answering a 日本 lockdown, a Hubei lead's draft plan, 政策储备 in three states and
    the 一企一策 of 江城汽车 with measures in each state (one overdue, one blocked). Idempotent."""
    from cases.models import Case
    from enterprises.models import CountrySituation, IndustryChain
    from policies.models import PolicyReserve, ResponsePlan, ServiceMeasure, ServicePlan

    users = {u.username: u for u in User.objects.filter(username__in={"ministry", "hubei"})}
    ministry, hubei = users.get("ministry"), users.get("hubei")
    if ministry is None or hubei is None:
        return 0
    today = timezone.localdate()
    created = 0
    japan, new = CountrySituation.objects.get_or_create(
        country="日本", kind="lockdown", source="驻日本使馆经济商务处通报",
        defaults={"severity": "high", "started_on": today - dt.timedelta(days=6), "recorded_by": ministry,
                  "note": "九州地区半导体工厂停工，预计持续两周以上"})
    created += new
    chains = {c.slug: c for c in IndustryChain.objects.all()}
    auto = chains.get("auto")
    if auto is not None and not ResponsePlan.objects.filter(chain=auto, title="汽车产业链应对日本停工预案").exists():
        plan = ResponsePlan.objects.create(
            title="汽车产业链应对日本停工预案", chain=auto, stock_days=21, actions=PLAN_ACTIONS,
            owner_unit="装备工业一司", owner_person="王处长", owner_phone="010-68205000", state="activated",
            in_force_on=today - dt.timedelta(days=5), activated_on=today - dt.timedelta(days=3),
            review_on=today + dt.timedelta(days=7), recorded_by=ministry)
        plan.situations.set([japan])
        plan.alternatives.set([e for e in (enterprises.get("qhxp"),) if e is not None])
        created += 1
    dhgd = enterprises.get("dhgd")
    if dhgd is not None and not ResponsePlan.objects.filter(lead=dhgd).exists():
        plan = ResponsePlan.objects.create(
            title="东湖光电精密光学镜片断供应对预案", lead=dhgd, stock_days=12,
            actions="梳理国内光学镜片供应商并组织比选\n与日本供应商协商分批空运", owner_unit="武汉市经信局",
            owner_person="李科长", state="draft", recorded_by=hubei)
        plan.situations.set([japan])
        created += 1
    for title, unit, summary, chain_slugs, state, policy_slug in RESERVES:
        if PolicyReserve.objects.filter(title=title).exists():
            continue
        policy = Policy.objects.filter(slug=policy_slug).first() if policy_slug else None
        if state == "issued" and policy is None:
            continue
        reserve = PolicyReserve.objects.create(
            title=title, proposing_unit=unit, summary=summary, state=state, policy=policy, recorded_by=ministry,
            submitted_on=today - dt.timedelta(days=4) if state in ("submitted", "issued") else None,
            issued_on=today - dt.timedelta(days=1) if state == "issued" else None)
        reserve.chains.set([chains[s] for s in chain_slugs if s in chains])
        reserve.situations.set([japan])
        created += 1
    jcqc = enterprises.get("jcqc")
    if jcqc is not None and not ServicePlan.objects.filter(lead=jcqc).exists():
        plan = ServicePlan.objects.create(
            lead=jcqc, contact_unit="武汉市经信局", contact_person="赵专员", recorded_by=hubei,
            goal="两周内恢复至正常产能的95%以上，保障整车厂配套")
        plan.cases.set(Case.objects.filter(enterprise=jcqc).order_by("pk")[:2])
        plan.policies.set(Policy.objects.filter(slug__in=["relending", "job-retention-refund"]))
        for order, (text, unit, days, state, progress, done) in enumerate(MEASURES, start=1):
            ServiceMeasure.objects.create(
                plan=plan, text=text, responsible_unit=unit, deadline=today + dt.timedelta(days=days), state=state,
                progress=progress, done_on=today - dt.timedelta(days=done) if done is not None else None,
                order=order)
        created += 1
    return created
