"""Who may change what in the enterprise list (reads are scoped by EnterpriseQuerySet.visible_to)."""

from chainwork.models import Role
from chainwork.scope import scope_for

EDITOR_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.ADMIN)


def can_edit_in_region(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.role in EDITOR_ROLES and (scope.is_national or region_code in (scope.regions or ()))


def can_edit(user, enterprise) -> bool:
    return can_edit_in_region(user, enterprise.list_region_id)


def can_create(user) -> bool:
    return scope_for(user).role in EDITOR_ROLES


def can_report_status(user, enterprise) -> bool:
    if can_edit(user, enterprise):
        return True
    scope = scope_for(user)
    return scope.role == Role.LIAISON and enterprise.liaison_assignments.filter(
        officer_id=user.pk, ended_on__isnull=True).exists()


def can_confirm_org_code(user) -> bool:
    return scope_for(user).role in (Role.MINISTRY, Role.ADMIN) or user.is_superuser
