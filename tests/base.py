"""Personas on both sides of every boundary (like alice/bob/charlie in healthchecks' hc/test.py).

Hubei (42) and Guangdong (44) are the two sides of the province line; Zhejiang (33) lies outside the
ministry liaison's regions; the department user is 交通运输部 (mot); the 行业协会 user is of a national
automotive association (key field 汽车): it covers the enterprises tagged 汽车 and no others.
"""

from dataclasses import dataclass

from chainwork.models import Role, User
from tests.factories import UserFactory, auto_association, department, region

PASSWORD = "secret-pass-123"


@dataclass
class Personas:
    ministry: User
    ministry_liaison: User
    hubei: User
    hubei_lead: User
    guangdong: User
    guangdong_lead: User
    zhejiang: User
    liaison_hubei: User
    liaison_guangdong: User
    dept_mot: User
    dept_mof: User
    association: User
    admin: User

    def all(self) -> dict[str, User]:
        return dict(vars(self))


def make_personas() -> Personas:
    return Personas(
        ministry=UserFactory(username="p-ministry", role=Role.MINISTRY, region=None),
        ministry_liaison=UserFactory(username="p-ministry-liaison", role=Role.MINISTRY_LIAISON, region=None,
                                     covered=["42", "44"]),
        hubei=UserFactory(username="p-hubei", role=Role.PROVINCE),
        hubei_lead=UserFactory(username="p-hubei-lead", role=Role.PROVINCE_LEAD),
        guangdong=UserFactory(username="p-guangdong", role=Role.PROVINCE, region=region("44")),
        guangdong_lead=UserFactory(username="p-guangdong-lead", role=Role.PROVINCE_LEAD, region=region("44")),
        zhejiang=UserFactory(username="p-zhejiang", role=Role.PROVINCE, region=region("33")),
        liaison_hubei=UserFactory(username="p-liaison-hubei", role=Role.LIAISON),
        liaison_guangdong=UserFactory(username="p-liaison-guangdong", role=Role.LIAISON, region=region("44")),
        dept_mot=UserFactory(username="p-dept-mot", role=Role.DEPARTMENT, region=None,
                             department=department("mot")),
        dept_mof=UserFactory(username="p-dept-mof", role=Role.DEPARTMENT, region=None,
                             department=department("mof")),
        association=UserFactory(username="p-association", role=Role.ASSOCIATION, region=None,
                                association=auto_association()),
        admin=UserFactory(username="p-admin", role=Role.ADMIN, region=None, is_superuser=True),
    )

