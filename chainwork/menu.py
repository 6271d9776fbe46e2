"""The main menu of design.md, per role. An entry whose page has not landed yet shows as 建设中."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from chainwork.models import Role
from chainwork.scope import role_for

ALL = tuple(Role.values)
OFFICIALS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN)


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url_name: str
    icon: str
    roles: tuple[str, ...]


MENU = [
    MenuEntry("home", _("工作台"), "home", "speedometer2", ALL),
    MenuEntry("enterprises", _("重点企业名单"), "enterprises-list", "buildings",
              (*OFFICIALS, Role.LIAISON)),
    MenuEntry("chains", _("产业链图谱"), "enterprises-chains", "diagram-3", (*OFFICIALS, Role.LIAISON)),
    # A 行业协会 sees the enterprises it covers and the problems it registered, nothing of the work group's.
    MenuEntry("covered", _("企业"), "enterprises-covered", "buildings", (Role.ASSOCIATION,)),
    MenuEntry("register", _("登记困难"), "cases-register", "plus-square", (Role.ASSOCIATION,)),
    MenuEntry("registered", _("我登记的问题"), "cases-registered", "journal-text", (Role.ASSOCIATION,)),
    # A department works from its referrals (工作台, 转办督办): it has no 问题台账 of its own.
    MenuEntry("cases", _("问题台账"), "cases-list", "journal-text",
              tuple(r for r in ALL if r not in (Role.DEPARTMENT, Role.ASSOCIATION))),
    MenuEntry("coordination", _("转办督办"), "cases-referrals", "send",
              (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.DEPARTMENT, Role.PROVINCE_LEAD, Role.ADMIN)),
    MenuEntry("meetings", _("监测会商"), "meetings-list", "people",
              (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.DEPARTMENT, Role.ADMIN)),
    MenuEntry("liaison", _("一对一联系"), "enterprises-contacts", "telephone",
              (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.LIAISON,
               Role.ADMIN)),
    MenuEntry("policies", _("政策落实"), "policies-list", "award", (*OFFICIALS, Role.LIAISON)),
    MenuEntry("reports", _("统计报表"), "reports-dashboard", "bar-chart", OFFICIALS),
    MenuEntry("directory", _("通讯录"), "directory", "person-lines-fill",
              (*OFFICIALS, Role.DEPARTMENT)),
    MenuEntry("admin", _("系统管理"), "admin:index", "gear", (Role.MINISTRY, Role.ADMIN)),
]


def menu_for(user, current: str | None = None) -> list[dict]:
    role = role_for(user)
    entries = []
    for entry in MENU:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            url = None
        entries.append({"key": entry.key, "label": entry.label, "url": url, "icon": entry.icon,
                        "active": entry.key == current})
    return entries


# URL names → the menu entry they belong to (the first prefix that matches wins).
SECTIONS = [
    ("enterprises-covered", "covered"), ("cases-registered", "registered"), ("cases-register", "register"),
    ("enterprises-chain", "chains"), ("enterprises-served", "chains"), ("enterprises-contact", "liaison"),
    ("enterprises-", "enterprises"), ("cases-referral", "coordination"), ("cases-group", "coordination"),
    ("cases-listed", "coordination"), ("cases-supervision", "coordination"), ("cases-extension", "coordination"),
    ("cases-", "cases"),
    ("policies-", "policies"), ("meetings-", "meetings"), ("reports-minutes", "meetings"),
    ("reports-", "reports"), ("home", "home"), ("directory", "directory"),
]


def menu_key(url_name: str | None) -> str | None:
    if not url_name:
        return None
    for prefix, key in SECTIONS:
        if url_name.startswith(prefix):
            return key
    return None
