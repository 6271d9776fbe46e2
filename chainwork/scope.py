"""The one source of scope facts: for a user, their role, the regions they see and their department.

Every app builds its `visible_to(user)` queryset on `scope_for(user)`; no view, API, export or
report decides visibility on its own (design.md "Users").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q

from chainwork.models import Association, Region, Role

# The 部专班 side: reads 部专班内部 notes, sees the national queue and boards.
MINISTRY_SIDE = (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN)
# A province's work group (省专班): reads the province's internal notes. Its 驻企联络员 are not the 专班.
PROVINCE_WORK_GROUP = (Role.PROVINCE, Role.PROVINCE_LEAD)
POLICY_RECORDERS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.LIAISON)


def role_for(user) -> str | None:
    """The role a user acts in: a superuser is an administrator whatever their role field says."""
    if user is None or not user.is_authenticated:
        return None
    return Role.ADMIN if user.is_superuser else user.role


@dataclass(frozen=True)
class Scope:
    role: str | None
    # None means every region; an empty set means none.
    regions: frozenset[str] | None
    department_id: int | None = None
    user_id: int | None = None
    # A 行业协会's coverage: it sees no region in full, only the enterprises of its industry sections or key
    # fields (in its region, or nationwide when `association_region` is None) in the limited view.
    association_id: int | None = None
    association_region: str | None = None
    industries: frozenset[str] = frozenset()
    key_fields: frozenset[int] = frozenset()

    @property
    def is_national(self) -> bool:
        return self.regions is None

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    def covers(self, region_code: str | None) -> bool:
        if self.regions is None:
            return True
        return region_code in self.regions

    def region_q(self, field: str = "region") -> Q:
        """A filter on `field` (a Region foreign key) for the regions this scope covers in full."""
        if self.regions is None:
            return Q()
        if not self.regions:
            return Q(pk__in=[])
        return Q(**{f"{field}__in": sorted(self.regions)})

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def ministry_side(self) -> bool:
        return self.role in MINISTRY_SIDE

    @property
    def records_policy_take_up(self) -> bool:
        """Whether this scope records 政策落实 against enterprises and problems (政策匹配): the province's
        work group, its liaison officers and the 部专班."""
        return self.role in POLICY_RECORDERS

    def reads_province_notes(self, region_code: str | None) -> bool:
        """Whether this scope reads a province's internal notes (design.md "Internal comments"): the
        province's work group, the ministry side covering it (the ministry liaisons their regions)."""
        return (self.ministry_side or self.role in PROVINCE_WORK_GROUP) and self.covers(region_code)

    def province_notes_q(self, field: str = "region") -> Q:
        """reads_province_notes as a filter on `field`, a Region foreign key."""
        if self.ministry_side or self.role in PROVINCE_WORK_GROUP:
            return self.region_q(field)
        return Q(pk__in=[])


NOBODY = Scope(role=None, regions=frozenset())


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (request) and cached on it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_chainwork_scope", None)
    if cached is not None:
        return cached
    scope = _compute(user)
    user._chainwork_scope = scope
    return scope


def _compute(user) -> Scope:
    role = role_for(user)
    if role in (Role.MINISTRY, Role.ADMIN):
        return Scope(role=role, regions=None, user_id=user.pk)
    if role == Role.MINISTRY_LIAISON:
        covered = frozenset(user.covered_regions.values_list("code", flat=True))
        return Scope(role=role, regions=covered, user_id=user.pk)
    if role == Role.DEPARTMENT:
        # A department sees no region in full, only what is referred to it (cases app).
        return Scope(role=role, regions=frozenset(), department_id=user.department_id, user_id=user.pk)
    if role == Role.ASSOCIATION:
        return _association_scope(user)
    if role in (Role.PROVINCE, Role.PROVINCE_LEAD, Role.LIAISON):
        home = frozenset([user.region_id]) if user.region_id else frozenset()
        return Scope(role=role, regions=home, user_id=user.pk)
    return Scope(role=role, regions=frozenset(), user_id=user.pk)


def _association_scope(user) -> Scope:
    """An association's coverage in one query; an inactive or missing association covers nothing."""
    row = (Association.objects.filter(pk=user.association_id, is_active=True)
           .annotate(industry_codes=ArrayAgg("industries__code", distinct=True, default=[]),
                     key_field_ids=ArrayAgg("key_fields__id", distinct=True, default=[]))
           .values("pk", "region_id", "industry_codes", "key_field_ids").first()) if user.association_id else None
    if row is None:
        return Scope(role=Role.ASSOCIATION, regions=frozenset(), user_id=user.pk)
    return Scope(role=Role.ASSOCIATION, regions=frozenset(), user_id=user.pk, association_id=row["pk"],
                 association_region=row["region_id"],
                 industries=frozenset(code for code in row["industry_codes"] if code),
                 key_fields=frozenset(pk for pk in row["key_field_ids"] if pk))


def regions_in(scope: Scope):
    """The regions a scope covers in full, in their order: the rows of a per-province table, the choices
    of a region filter."""
    return Region.objects.filter(scope.region_q("pk")).order_by("order", "code")
