"""Demo data for `manage.py seed_demo`: the Contract's users first; each capability adds its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from chainwork.models import Department, Region, Role, User
from chainwork.reference import load_reference_data


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    unit: str
    region: str | None = None
    department: str | None = None
    covered: tuple[str, ...] = field(default_factory=tuple)


DEMO_USERS = [
    DemoUser("ministry", Role.MINISTRY, "部专班 王工", "工业和信息化部 产业链协同复工复产工作专班"),
    DemoUser("ministry-liaison", Role.MINISTRY_LIAISON, "联络员 李工", "部联络员工作组（湖北、广东）",
             covered=("42", "44")),
    DemoUser("hubei", Role.PROVINCE, "湖北专班 张工", "湖北省经济和信息化厅", region="42"),
    DemoUser("hubei-lead", Role.PROVINCE_LEAD, "湖北专班 刘处长", "湖北省经济和信息化厅", region="42"),
    DemoUser("guangdong", Role.PROVINCE, "广东专班 陈工", "广东省工业和信息化厅", region="44"),
    DemoUser("guangdong-lead", Role.PROVINCE_LEAD, "广东专班 黄处长", "广东省工业和信息化厅", region="44"),
    DemoUser("zhejiang", Role.PROVINCE, "浙江专班 吴工", "浙江省经济和信息化厅", region="33"),
    DemoUser("liaison-hubei", Role.LIAISON, "驻企联络员 周工", "武汉市经济和信息化局", region="42"),
    DemoUser("dept-mot", Role.DEPARTMENT, "交通运输部 赵工", "交通运输部", department="mot"),
    DemoUser("admin", Role.ADMIN, "系统管理员", "工业和信息化部"),
]


@transaction.atomic
def seed_users(password: str | None = None) -> list[User]:
    """Create or update the demo users and reset their passwords; safe to run again."""
    load_reference_data()
    password = password or settings.DEMO_PASSWORD
    regions = {r.code: r for r in Region.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        user.role = demo.role
        user.display_name = demo.display_name
        user.unit = demo.unit
        user.region = regions[demo.region] if demo.region else None
        user.department = departments[demo.department] if demo.department else None
        user.is_superuser = demo.role == Role.ADMIN
        user.is_active = True
        user.set_password(password)
        user.save()
        user.covered_regions.set([regions[code] for code in demo.covered])
        users.append(user)
    return users
