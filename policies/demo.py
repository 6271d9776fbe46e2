"""Demo take-up of the policy catalogue for `seed_demo`: Hubei and Guangdong enterprises recommended,
applying, granted with amounts and refused; their financing needs (产融对接) in every state and arrears
(清欠) repaid in steps; dated relative to today. Idempotent: a rerun adds nothing."""

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
    return created + seed_money_demo(enterprises)


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
