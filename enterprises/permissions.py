"""Who may change what in the enterprise list (reads are scoped by EnterpriseQuerySet.visible_to)."""

from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.models import Enterprise

EDITOR_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.ADMIN)


def can_edit_in_region(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.role in EDITOR_ROLES and (scope.is_national or region_code in (scope.regions or ()))


def can_edit(user, enterprise) -> bool:
    """A domestic enterprise: its region's work group and the 部专班. An enterprise abroad: the 部专班
    and the work group of the region that added it."""
    if enterprise.is_abroad:
        scope = scope_for(user)
        return scope.role in EDITOR_ROLES and (scope.is_national or (enterprise.added_by_region_id is not None
                                               and scope.covers(enterprise.added_by_region_id)))
    return can_edit_in_region(user, enterprise.list_region_id)


def can_create(user) -> bool:
    return scope_for(user).role in EDITOR_ROLES


def can_report_status(user, enterprise) -> bool:
    if can_edit(user, enterprise):
        return True
    scope = scope_for(user)
    return scope.role == Role.LIAISON and Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()


def can_confirm_org_code(user) -> bool:
    return scope_for(user).role in (Role.MINISTRY, Role.ADMIN)


def reportable_ids(user, enterprises) -> set[int]:
    """Which of `enterprises` the user may report status for, in at most one query (lists, imports)."""
    enterprises = list(enterprises)
    allowed = {e.pk for e in enterprises if can_edit(user, e)}
    if scope_for(user).role == Role.LIAISON:
        allowed |= set(Enterprise.objects.visible_to(user).filter(pk__in=[e.pk for e in enterprises])
                       .values_list("pk", flat=True))
    return allowed
