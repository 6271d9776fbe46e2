"""Demo data for the enterprise list: Hubei leads with core suppliers in Guangdong and abroad, some
not resumed; a Guangdong chain of its own; a Zhejiang chain outside the ministry liaison's regions; the
汽车 重点产业链 over three tiers of suppliers in 湖北, 广东, 德国, 日本 and 韩国.
Names are invented; credit codes are computed to be valid. Dates are relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chainwork.models import KeyField, Region, User
from enterprises.credit_code import check_character, org_check_character
from enterprises.models import Enterprise, IndustryChain, IndustryChainLead, StatusReport, SupplyLink
from enterprises.services import pinyin_keys, refresh_current_status


def demo_credit_code(division: str, n: int) -> str:
    org8 = f"DM{n:06d}"
    body = "91" + division + org8 + org_check_character(org8)
    return body + check_character(body)


# key, name, region or None, division or country, city, industry, key fields, size, lead,
# status today (resumed, staff rate, output rate)
ENTERPRISES = [
    ("dhgd", "东湖光电科技集团有限公司", "42", "420100", "武汉市", "C", ["intl-supply"], "large", True,
     ("partly", "0.86", "0.72")),
    ("jcqc", "江城汽车零部件股份有限公司", "42", "420100", "武汉市", "C", ["labour-intensive", "automotive"], "large",
     True, ("yes", "0.95", "0.91")),
    ("ctyl", "楚天医疗防护用品有限公司", "42", "420600", "襄阳市", "C", ["epidemic"], "medium", True,
     ("yes", "1.02", "1.10")),
    ("hjmj", "汉江精密模具有限公司", "42", "420500", "宜昌市", "C", [], "small", False, ("yes", "0.92", "0.88")),
    ("jcwl", "荆楚现代物流有限公司", "42", "421000", "荆州市", "G", ["livelihood"], "medium", False,
     ("partly", "0.70", "0.65")),
    ("pcxp", "深圳鹏城芯片封装有限公司", "44", "440300", "深圳市", "C", ["intl-supply"], "medium", False,
     ("no", None, None)),
    ("shdz", "东莞松湖电子材料有限公司", "44", "441900", "东莞市", "C", [], "small", False,
     ("partly", "0.75", "0.60")),
    ("nsqd", "广州南沙汽车电子有限公司", "44", "440100", "广州市", "C", ["automotive"], "medium", True,
     ("yes", "0.97", "0.93")),
    ("zjfz", "广州珠江纺织服装股份有限公司", "44", "440100", "广州市", "C", ["labour-intensive"], "large", True,
     ("partly", "0.80", "0.70")),
    ("fsyl", "佛山顺德印染有限公司", "44", "440600", "佛山市", "C", [], "small", False, ("no", None, None)),
    ("npo", "Nippon Precision Optics Co., Ltd.", None, "日本", "", "C", [], "large", False,
     ("partly", None, "0.55")),
    ("rmb", "Rheinland Maschinenbau GmbH", None, "德国", "", "C", [], "large", False, ("yes", None, "0.95")),
    ("nbhg", "宁波港城化工有限公司", "33", "330200", "宁波市", "C", [], "large", True, ("yes", "0.93", "0.90")),
    ("hzbz", "杭州钱塘包装有限公司", "33", "330100", "杭州市", "C", [], "small", False, ("partly", "0.66", "0.58")),
    # The 汽车 chain's deeper tiers: 江城汽车 ← 南沙汽车电子 ← 前海车规芯片 / Kyushu ← Hanbit.
    ("qhxp", "深圳前海车规芯片有限公司", "44", "440300", "深圳市", "C", ["intl-supply"], "medium", True,
     ("partly", "0.80", "0.70")),
    ("kyas", "Kyushu Automotive Semiconductor Co., Ltd.", None, "日本", "", "C", [], "large", False,
     ("no", None, None)),
    ("hbw", "Hanbit Wafer Co., Ltd.", None, "韩国", "", "C", [], "large", False, ("yes", None, "0.90")),
]

# lead, partner, direction, product, criticality, single source
LINKS = [
    ("dhgd", "pcxp", "upstream", "光芯片封装", "core", True),
    ("dhgd", "shdz", "upstream", "电子化学品", "important", False),
    ("dhgd", "npo", "upstream", "精密光学镜片", "core", False),
    ("dhgd", "jcwl", "downstream", "成品运输与仓储", "important", False),
    ("jcqc", "hjmj", "upstream", "冲压模具", "core", False),
    ("jcqc", "nsqd", "upstream", "车身电子控制单元", "core", True),
    ("jcqc", "rmb", "upstream", "焊装设备", "important", False),
    ("ctyl", "shdz", "upstream", "熔喷材料", "core", False),
    ("ctyl", "jcwl", "downstream", "防护用品配送", "general", False),
    ("zjfz", "fsyl", "upstream", "面料印染", "core", True),
    ("nbhg", "hzbz", "upstream", "包装桶", "important", False),
    ("nsqd", "qhxp", "upstream", "车规级MCU芯片", "core", True),
    ("nsqd", "kyas", "upstream", "功率半导体", "core", False),
    ("nsqd", "shdz", "upstream", "电子化学品", "general", False),
    ("qhxp", "hbw", "upstream", "8英寸晶圆", "core", True),
]

# 重点产业链 (seeded by migration) → their leads in the demo.
CHAIN_LEADS = {
    "auto": ["jcqc"],
    "electronics": ["dhgd", "qhxp"],
    "medical": ["ctyl"],
    "intl-supply": ["dhgd"],
    "labour-intensive": ["zjfz"],
    "livelihood": ["nbhg"],
}

NORMAL_STAFF = {"large": 3000, "medium": 600, "small": 120}
NORMAL_OUTPUT = {"large": Decimal("850.00"), "medium": Decimal("160.00"), "small": Decimal("35.00")}


@transaction.atomic
def seed_enterprises(days: int = 14) -> dict[str, Enterprise]:
    regions = {r.code: r for r in Region.objects.all()}
    key_fields = {k.slug: k for k in KeyField.objects.all()}
    admin = User.objects.filter(username="admin").first()
    enterprises: dict[str, Enterprise] = {}
    for n, (key, name, region, where, city, industry, fields, size, lead, _status) in enumerate(ENTERPRISES, 1):
        domestic = region is not None
        lookup = {"credit_code": demo_credit_code(where, n)} if domestic else {"name": name, "country": where}
        full, initials = pinyin_keys(name)
        enterprise, _created = Enterprise.objects.update_or_create(
            **lookup,
            defaults={
                "name": name, "name_pinyin": full, "name_initials": initials,
                "region": regions[region] if domestic else None,
                "list_region": regions[region] if domestic else None,
                "added_by_region": None if domestic else regions["42"],
                "country": "" if domestic else where, "city": city, "industry_id": industry, "size": size,
                "is_lead": lead, "contact_name": "张经理" if domestic else "", "contact_position": "办公室主任",
                "contact_phone": f"027-8{n:03d}0000" if domestic else "", "address": f"{city}高新区{n}号",
                "created_by": admin,
            },
        )
        enterprise.key_fields.set([key_fields[slug] for slug in fields if slug in key_fields])
        enterprises[key] = enterprise
    for lead, partner, direction, product, criticality, single in LINKS:
        SupplyLink.objects.update_or_create(
            lead=enterprises[lead], partner=enterprises[partner], direction=direction,
            defaults={"product": product, "criticality": criticality, "single_source": single, "created_by": admin},
        )
    _seed_status(enterprises, days)
    chains = {c.slug: c for c in IndustryChain.objects.all()}
    for slug, keys in CHAIN_LEADS.items():
        if slug in chains:
            for key in keys:
                IndustryChainLead.objects.get_or_create(chain=chains[slug], enterprise=enterprises[key],
                                                        defaults={"added_by": admin})
    return enterprises


def _seed_status(enterprises: dict[str, Enterprise], days: int) -> None:
    """A fortnight of daily status, each day's report entered that morning: the 日报 counts a report
    only if it was entered before its day's cut-off (17:00 by default), so 较上日 and the trends compare
    real days rather than an empty yesterday."""
    today = timezone.localdate()
    now = timezone.now()
    for key, _name, _r, _w, _c, _i, _f, size, _lead, (resumed, staff, output) in ENTERPRISES:
        enterprise = enterprises[key]
        normal_staff = NORMAL_STAFF[size] if staff is not None else None
        normal_output = NORMAL_OUTPUT[size]
        for back in range(days - 1, -1, -1):
            # Recovery over the fortnight: from 60% of today's level up to today's.
            share = Decimal("0.6") + Decimal("0.4") * Decimal(days - 1 - back) / Decimal(max(days - 1, 1))
            state = resumed if back < 3 else ("no" if resumed == "no" else "partly")
            at_work = int(normal_staff * Decimal(staff) * share) if normal_staff and state != "no" else 0
            produced = (normal_output * Decimal(output) * share).quantize(Decimal("0.01")) \
                if output is not None and state != "no" else Decimal("0")
            StatusReport.objects.update_or_create(
                enterprise=enterprise, date=today - dt.timedelta(days=back),
                defaults={"resumed": state, "staff_at_work": at_work if normal_staff else None,
                          "staff_normal": normal_staff, "output": produced, "output_normal": normal_output,
                          "capacity": (normal_output * Decimal("1.2")).quantize(Decimal("0.01")),
                          "source": StatusReport.Source.FORM},
            )
        refresh_current_status(enterprise.pk)
    demo = [enterprise.pk for enterprise in enterprises.values()]
    for back in range(days):
        day = today - dt.timedelta(days=back)
        entered = min(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))), now)
        StatusReport.objects.filter(enterprise_id__in=demo, date=day).update(created_at=entered)
