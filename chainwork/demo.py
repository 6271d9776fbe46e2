"""Demo data for `manage.py seed_demo`: the Contract's users first; each capability adds its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from chainwork.models import Association, Department, IndustrySection, KeyField, Region, Role, User
from chainwork.reference import load_reference_data


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    unit: str
    region: str | None = None
    department: str | None = None
    association: str | None = None
    covered: tuple[str, ...] = field(default_factory=tuple)
    post: str = ""
    phone: str = ""
    email: str = ""


DEMO_USERS = [
    DemoUser("ministry", Role.MINISTRY, "部专班 王工", "工业和信息化部 产业链协同复工复产工作专班",
             post="综合组 二级调研员", phone="010-68200001", email="wang@chainwork.example"),
    DemoUser("ministry-liaison", Role.MINISTRY_LIAISON, "联络员 李工", "部联络员工作组（湖北、广东）",
             covered=("42", "44"), post="联络员", phone="010-68200002", email="li@chainwork.example"),
    DemoUser("hubei", Role.PROVINCE, "湖北专班 张工", "湖北省经济和信息化厅", region="42",
             post="产业链协调组 主任科员", phone="027-87250001", email="zhang@hubei.example"),
    DemoUser("hubei-lead", Role.PROVINCE_LEAD, "湖北专班 刘处长", "湖北省经济和信息化厅", region="42",
             post="运行监测协调处 处长", phone="027-87250002", email="liu@hubei.example"),
    DemoUser("guangdong", Role.PROVINCE, "广东专班 陈工", "广东省工业和信息化厅", region="44",
             post="产业链协调组 主任科员", phone="020-83130001", email="chen@guangdong.example"),
    DemoUser("guangdong-lead", Role.PROVINCE_LEAD, "广东专班 黄处长", "广东省工业和信息化厅", region="44",
             post="运行监测协调处 处长", phone="020-83130002", email="huang@guangdong.example"),
    DemoUser("zhejiang", Role.PROVINCE, "浙江专班 吴工", "浙江省经济和信息化厅", region="33",
             post="主任科员", phone="0571-87050001", email="wu@zhejiang.example"),
    DemoUser("liaison-hubei", Role.LIAISON, "驻企联络员 周工", "武汉市经济和信息化局", region="42",
             phone="13800000042"),
    DemoUser("dept-mot", Role.DEPARTMENT, "交通运输部 赵工", "交通运输部", department="mot",
             post="运输服务司 联络员", phone="010-65290001", email="zhao@mot.example"),
    DemoUser("assoc-auto", Role.ASSOCIATION, "汽车协会 孙工", "中国汽车产业链协会（示例）",
             association="中国汽车产业链协会（示例）", post="行业部 副主任", phone="010-68590001",
             email="sun@auto-assoc.example"),
    DemoUser("admin", Role.ADMIN, "系统管理员", "工业和信息化部"),
]


@dataclass(frozen=True)
class DemoAssociation:
    name: str
    short_name: str
    region: str | None  # None: nationwide
    industries: tuple[str, ...] = ()
    key_fields: tuple[str, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""


# A national association for the automotive chain (中国汽车工业协会-like; a made-up name).
DEMO_ASSOCIATIONS = [
    DemoAssociation("中国汽车产业链协会（示例）", "汽车协会", None, key_fields=("automotive",),
                    contact_name="孙工", contact_phone="010-68590001"),
]


def seed_associations() -> dict[str, Association]:
    """Create or update the demo associations and what they cover; safe to run again."""
    regions = {r.code: r for r in Region.objects.all()}
    associations = {}
    for demo in DEMO_ASSOCIATIONS:
        association, _created = Association.objects.update_or_create(name=demo.name, defaults={
            "short_name": demo.short_name, "region": regions[demo.region] if demo.region else None,
            "contact_name": demo.contact_name, "contact_phone": demo.contact_phone, "is_active": True})
        association.industries.set(IndustrySection.objects.filter(code__in=demo.industries))
        association.key_fields.set(KeyField.objects.filter(slug__in=demo.key_fields))
        associations[demo.name] = association
    return associations


@transaction.atomic
def seed_users(password: str | None = None) -> list[User]:
    """Create or update the demo users and reset their passwords; safe to run again."""
    load_reference_data()
    password = password or settings.DEMO_PASSWORD
    regions = {r.code: r for r in Region.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    associations = seed_associations()
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        user.role = demo.role
        user.display_name = demo.display_name
        user.unit = demo.unit
        user.post, user.phone, user.email = demo.post, demo.phone, demo.email
        user.region = regions[demo.region] if demo.region else None
        user.department = departments[demo.department] if demo.department else None
        user.association = associations[demo.association] if demo.association else None
        user.is_superuser = demo.role == Role.ADMIN
        user.is_active = True
        user.set_password(password)
        user.save()
        user.covered_regions.set([regions[code] for code in demo.covered])
        users.append(user)
    seed_department_contacts(departments)
    return users


# The 通讯录's department liaisons (example numbers, not real ones).
DEPARTMENT_CONTACTS = {
    "mot": ("赵工", "运输服务司 联络员", "010-65290001", "zhao@mot.example"),
    "ndrc": ("钱工", "经济运行调节局 联络员", "010-68500001", "qian@ndrc.example"),
    "mof": ("孙工", "经济建设司 联络员", "010-68550001", "sun@mof.example"),
    "mofcom": ("李工", "对外贸易司 联络员", "010-65190001", "li@mofcom.example"),
}


def seed_department_contacts(departments: dict[str, Department]) -> None:
    for slug, (name, post, phone, email) in DEPARTMENT_CONTACTS.items():
        department = departments.get(slug)
        if department is None:
            continue
        department.contact_name, department.contact_post = name, post
        department.contact_phone, department.contact_email = phone, email
        department.save(update_fields=["contact_name", "contact_post", "contact_phone", "contact_email"])
    # Every MIIT bureau's liaison: the bureau's general office line.
    for number, department in enumerate(d for d in departments.values() if d.kind == Department.Kind.BUREAU):
        if not department.contact_phone:
            department.contact_name = department.contact_name or "综合处联络员"
            department.contact_phone = f"010-6820{number + 1:04d}"
            department.save(update_fields=["contact_name", "contact_phone"])
