"""The seed of the policy catalogue (domain.md "Support policies"), loaded by a data migration and by
`load_policies()` in tests.

Loading is idempotent and never overwrites a policy the 部专班 has edited: policies are matched by slug
and created only when missing. Where domain.md leaves the instrument or period open, the row is
marked 待核实 (to be confirmed) and left open rather than invented.
"""

from __future__ import annotations

import datetime as dt

D = dt.date.fromisoformat

# slug, name, issuer slugs, other issuer text, document number, issued on, summary, sizes, key field slugs,
# category slugs, valid from, valid to, amount kind, to be confirmed
POLICIES = [
    ("relending", "支农支小再贷款、再贴现", ["pbc"], "", "", D("2020-02-26"),
     "增加再贷款再贴现专用额度5000亿元，支农、支小再贷款利率下调至2.5%，支持涉农、小微企业和民营企业复工复产。",
     ["small", "micro"], [], ["funding"], D("2020-02-26"), None, "loan", True),
    ("social-insurance-relief", "阶段性减免企业社会保险费", ["mohrss", "mof", "sta"], "", "人社部发〔2020〕11号",
     D("2020-02-20"),
     "阶段性减免企业基本养老保险、失业保险、工伤保险单位缴费；人社部发〔2020〕49号延长执行期限。",
     [], [], ["funding", "labour", "policy"], D("2020-02-01"), D("2020-12-31"), "relief", True),
    ("housing-fund-deferral", "企业缓缴住房公积金", ["mohurd", "mof", "pbc"], "", "", D("2020-02-21"),
     "受疫情影响的企业可按规定申请在2020年6月30日前缓缴住房公积金，缓缴期间缴存时间连续计算。",
     [], [], ["funding", "policy"], D("2020-02-21"), D("2020-06-30"), "deferral", True),
    ("job-retention-refund", "失业保险稳岗返还", ["mohrss", "mof"], "", "", None,
     "对不裁员或少裁员的参保企业返还失业保险费，中小微企业返还标准提高（文件待核实）。",
     [], [], ["labour", "funding"], D("2020-01-01"), None, "refund", True),
    ("loan-deferral", "中小微企业贷款临时性延期还本付息", ["nfra", "pbc", "ndrc", "miit", "mof"], "",
     "银保监发〔2020〕6号", D("2020-03-01"),
     "对符合条件、流动性遇到暂时困难的中小微企业贷款，给予临时性延期还本付息安排，免收罚息。",
     ["medium", "small", "micro"], [], ["funding"], D("2020-03-01"), None, "deferral", True),
    ("industry-finance", "产融合作平台对接", ["miit"], "", "", None,
     "通过产融合作平台推送企业融资需求，对接银行等金融机构（文件待核实）。",
     [], [], ["funding"], None, None, "loan", True),
    ("arrears-clearing", "清理拖欠民营企业中小企业账款", ["miit"],
     "国务院减轻企业负担部际联席会议办公室（设在工业和信息化部）", "", None,
     "2019—2020年清理拖欠民营企业中小企业账款专项行动，督促机关、事业单位和大型企业清偿拖欠账款。",
     [], [], ["funding", "orders"], D("2019-01-01"), D("2020-12-31"), "arrears", True),
    ("epidemic-supplies", "防疫物资保障", ["miit"], "", "", None,
     "协调防疫物资生产企业的原材料、设备、用工和物流保障，组织重点防疫物资生产调度。",
     [], ["epidemic"], ["epidemic-supplies", "raw-materials", "logistics"], None, None, "", True),
]


def load_policies(apps=None) -> None:
    """Create the missing seed policies. `apps` is the migration state's registry when migrating."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    get = apps.get_model
    Policy = get("policies", "Policy")
    departments = {d.slug: d for d in get("chainwork", "Department").objects.all()}
    key_fields = {k.slug: k for k in get("chainwork", "KeyField").objects.all()}
    categories = {c.slug: c for c in get("chainwork", "Category").objects.all()}
    for order, (slug, name, issuers, issuer_text, number, issued_on, summary, sizes, fields, cats, valid_from,
                valid_to, amount_kind, unconfirmed) in enumerate(POLICIES):
        policy, created = Policy.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "issuer_text": issuer_text, "document_number": number, "issued_on": issued_on,
                      "summary": summary, "sizes": sizes, "valid_from": valid_from, "valid_to": valid_to,
                      "amount_kind": amount_kind, "to_be_confirmed": unconfirmed, "order": order},
        )
        if created:
            policy.issuers.set([departments[s] for s in issuers if s in departments])
            policy.key_fields.set([key_fields[s] for s in fields if s in key_fields])
            policy.categories.set([categories[s] for s in cats if s in categories])
