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
    return scope_for(user).role in (Role.MINISTRY, Role.ADMIN)


def reportable_ids(user, enterprises) -> set[int]:
    """Which of `enterprises` the user may report status for, in at most one query (lists, imports)."""
    enterprises = list(enterprises)
    allowed = {e.pk for e in enterprises if can_edit(user, e)}
    if scope_for(user).role == Role.LIAISON:
        from enterprises.models import LiaisonAssignment

        allowed |= set(LiaisonAssignment.objects.filter(
            officer_id=user.pk, ended_on__isnull=True, enterprise_id__in=[e.pk for e in enterprises],
        ).values_list("enterprise_id", flat=True))
    return allowed
