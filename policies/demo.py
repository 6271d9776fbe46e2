"""Demo take-up of the policy catalogue for `seed_demo`: Hubei and Guangdong enterprises recommended,
applying, granted with amounts and refused, dated relative to today. Idempotent: a rerun adds nothing."""

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
    return created
