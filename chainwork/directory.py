"""通讯录: the work group's officials and each department's liaison, for 一事一议 calls (design.md
"The second wave"), and 我的信息, where each person keeps their own entry.

Who is listed: each province's work-group officials (`province`, `province_lead`), the 部专班 and its
liaison group (`ministry`, `ministry_liaison`), each member department's and MIIT bureau's liaison
(kept on the department) and its users. Never enterprises' contacts, never the 驻企联络员 or
administrators. Who may read it: every official — every role but `liaison` (驻企联络员) and
`association` (行业协会), who are not of the work group.

The whole directory is a few thousand rows at national scale: it is read in two queries (users,
departments), narrowed by region and department in the database and by the search words in Python
(so that 027-8888 1234 finds 02788881234), and paged as a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chainwork.errors import NotPermitted
from chainwork.models import Department, Region, Role, User
from chainwork.scope import role_for

READERS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.DEPARTMENT, Role.ADMIN)
LISTED_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.DEPARTMENT)
MINISTRY_GROUP = gettext_lazy("部专班")
NOT_FOR_YOU = gettext_lazy("通讯录仅供工作专班人员查阅。")
PHONE = re.compile(r"^[0-9+\-() 转,，]{5,32}$")


def can_read(user) -> bool:
    return role_for(user) in READERS


@dataclass(frozen=True)
class Entry:
    """One line of the 通讯录: a person, or a department's liaison (`kind` "department")."""

    kind: str  # "official" | "department"
    name: str
    unit: str
    post: str
    phone: str
    email: str
    role: str
    role_label: str
    region: str | None
    region_name: str
    department: str | None
    department_name: str
    group: str  # the heading it is listed under: a region, the 部专班 or a department
    group_key: str
    sort: tuple

    @property
    def searchable(self) -> str:
        return " ".join((self.name, self.unit, self.post, self.region_name, self.department_name, self.email,
                         self.group)).lower()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def _matches(entry: Entry, words: list[str]) -> bool:
    for word in words:
        digits = _digits(word)
        if len(digits) >= 3 and digits == re.sub(r"[\s\-()+]", "", word) and digits in _digits(entry.phone):
            continue
        if word.lower() not in entry.searchable:
            return False
    return True


def _region(code: str | None) -> Region | None:
    if code in (None, ""):
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise ValidationError({"region": _("地区代码有误：%(code)s。") % {"code": code}})
    return region


def _department(slug: str | None) -> Department | None:
    if slug in (None, ""):
        return None
    department = Department.objects.filter(slug=slug).first()
    if department is None:
        raise ValidationError({"department": _("没有标识为 %(slug)s 的部门。") % {"slug": slug}})
    return department


def entries(user, *, q: str = "", region: str | None = None, department: str | None = None) -> list[Entry]:
    """The 通讯录 as the user may read it, grouped (by region, then the 部专班, then departments) and
    narrowed by `region` (two-digit code), `department` (slug) and the search words in `q`."""
    if not can_read(user):
        raise NotPermitted(NOT_FOR_YOU)
    the_region, the_department = _region(region), _department(department)
    users = (User.objects.filter(is_active=True, is_superuser=False, role__in=LISTED_ROLES)
             .select_related("region", "department")
             .only("username", "display_name", "unit", "post", "phone", "email", "role", "region__code",
                   "region__name", "region__name_en", "region__order", "department__slug", "department__name",
                   "department__short_name", "department__kind", "department__order"))
    departments = Department.objects.filter(is_active=True)
    if the_region is not None:
        users = users.filter(region=the_region, role__in=[Role.PROVINCE, Role.PROVINCE_LEAD])
        departments = departments.none()
    if the_department is not None:
        users = users.filter(department=the_department, role=Role.DEPARTMENT)
        departments = departments.filter(pk=the_department.pk)
    rows = [_person(u) for u in users] + [_liaison(d) for d in departments if d.contact_name or d.contact_phone]
    words = [w for w in re.split(r"\s+", q.strip()) if w][:5]
    if words:
        rows = [row for row in rows if _matches(row, words)]
    return sorted(rows, key=lambda row: row.sort)


def _department_rank(department: Department) -> tuple:
    return (0 if department.kind == Department.Kind.DEPARTMENT else 1, department.order, department.slug)


def _person(user: User) -> Entry:
    role_label = str(Role(user.role).label)
    if user.role in (Role.PROVINCE, Role.PROVINCE_LEAD) and user.region_id:
        group, key = str(user.region), f"region-{user.region_id}"
        sort = (0, user.region.order, user.region_id, 0 if user.role == Role.PROVINCE_LEAD else 1)
    elif user.role == Role.DEPARTMENT and user.department_id:
        group, key = user.department.name, f"department-{user.department.slug}"
        sort = (2, *_department_rank(user.department), 1)
    else:
        group, key = str(MINISTRY_GROUP), "ministry"
        sort = (1, 0, "", 0 if user.role == Role.MINISTRY else 1)
    return Entry(
        kind="official", name=user.display_name or user.username, unit=user.unit, post=user.post,
        phone=user.phone, email=user.email, role=user.role, role_label=role_label,
        region=user.region_id, region_name=str(user.region) if user.region_id else "",
        department=user.department.slug if user.department_id else None,
        department_name=user.department.name if user.department_id else "",
        group=group, group_key=key, sort=(*sort, user.display_name or user.username),
    )


def _liaison(department: Department) -> Entry:
    return Entry(
        kind="department", name=department.contact_name, unit=department.name, post=department.contact_post,
        phone=department.contact_phone, email=department.contact_email, role="",
        role_label=str(department.get_kind_display()), region=None, region_name="", department=department.slug,
        department_name=department.name, group=department.name, group_key=f"department-{department.slug}",
        sort=(2, *_department_rank(department), 0, department.contact_name),
    )


# --- 我的信息 -------------------------------------------------------------------------------------------

PROFILE_FIELDS = ("display_name", "post", "unit", "phone", "email")


def clean_profile(data: dict) -> dict:
    errors: dict[str, str] = {}
    clean = {name: (data.get(name) or "").strip() for name in PROFILE_FIELDS}
    if not clean["display_name"]:
        errors["display_name"] = _("请填写姓名。")
    limits = {"display_name": 32, "post": 64, "unit": 64, "phone": 32, "email": 254}
    for name, limit in limits.items():
        if len(clean[name]) > limit:
            errors[name] = _("最多%(n)d个字。") % {"n": limit}
    if clean["phone"] and not PHONE.match(clean["phone"]):
        errors["phone"] = _("请填写正确的电话号码，如 027-87654321 或 13800000000。")
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = _("请填写正确的电子邮箱。")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def profile_update(*, actor, user: User, data: dict) -> User:
    """A person's own 通讯录 entry (administrators may edit anyone's, here or in the admin). The User
    row is tracked by pghistory, so each change is audited with who made it and from where."""
    if actor.pk != user.pk and role_for(actor) != Role.ADMIN:
        raise NotPermitted(_("只能修改本人的信息。"))
    clean = clean_profile(data)
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = [name for name in PROFILE_FIELDS if getattr(user, name) != clean[name]]
    for name in changed:
        setattr(user, name, clean[name])
    if changed:
        user.save(update_fields=changed)
    return user
