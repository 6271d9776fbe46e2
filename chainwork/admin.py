from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from chainwork.audit import history_for
from chainwork.exports import Export, export_response
from chainwork.models import (
    Association,
    Category,
    Department,
    ExportLog,
    Holiday,
    IndustrySection,
    KeyField,
    Region,
    Role,
    User,
)

admin.site.site_header = _("chainwork 系统管理")
admin.site.site_title = _("chainwork 系统管理")
admin.site.index_title = _("系统管理")


class AuditHistoryMixin:
    """The admin's 历史 button shows the audit trail (pghistory), read-only."""

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("变更记录：%(object)s") % {"object": obj},
            "object": obj,
            "opts": self.model._meta,
            "history": history_for(obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/chainwork/audit_history.html", context)


def is_administrator(user) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


class AdministratorsOnlyMixin:
    """Accounts and logs are the administrators' alone."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


class ReferenceAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Reference data: the 部专班 and administrators edit it (design.md "Users")."""

    def _may_edit(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role in (Role.MINISTRY, Role.ADMIN))

    def has_module_permission(self, request):
        return self._may_edit(request)

    def has_view_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        # Rows other data points at are protected by the database; the admin says so.
        return self._may_edit(request)


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "abbr", "kind", "division_prefix"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en", "abbr"]


@admin.register(Department)
class DepartmentAdmin(ReferenceAdmin):
    list_display = ["slug", "name", "kind", "handles", "leads_work_group", "to_be_confirmed", "is_active"]
    list_filter = ["kind", "is_active", "to_be_confirmed"]
    search_fields = ["slug", "name", "short_name", "contact_name", "contact_phone"]
    fieldsets = (
        (None, {"fields": ("slug", "name", "short_name", "kind", "handles", "leads_work_group", "to_be_confirmed",
                           "is_active", "order")}),
        (_("联络人（通讯录）"), {"fields": ("contact_name", "contact_post", "contact_phone", "contact_email")}),
    )


@admin.register(KeyField)
class KeyFieldAdmin(ReferenceAdmin):
    list_display = ["slug", "name", "order", "is_active"]


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ["slug", "name", "needs_national", "order", "is_active"]
    filter_horizontal = ["departments"]


@admin.register(IndustrySection)
class IndustrySectionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "divisions"]


@admin.register(Association)
class AssociationAdmin(ReferenceAdmin):
    """行业协会 and what they cover; their staff are users of role 行业协会 tied to one (用户)."""

    list_display = ["name", "short_name", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "short_name", "contact_name"]
    filter_horizontal = ["industries", "key_fields"]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "is_active")}),
        (_("覆盖范围"), {"fields": ("region", "industries", "key_fields"),
                     "description": _("覆盖所选行业门类或重点领域的企业；选择所在地区时只覆盖该地区的企业。")}),
        (_("联络人"), {"fields": ("contact_name", "contact_phone")}),
    )


@admin.register(Holiday)
class HolidayAdmin(ReferenceAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"


@admin.register(User)
class UserAdmin(AdministratorsOnlyMixin, AuditHistoryMixin, BaseUserAdmin):

    list_display = ["username", "display_name", "role", "region", "department", "association", "is_active",
                    "last_login"]
    list_filter = ["role", "region", "department", "association", "is_active"]
    search_fields = ["username", "display_name", "email", "phone", "unit", "post"]
    filter_horizontal = ["covered_regions", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份与范围"), {"fields": ("role", "region", "department", "association", "covered_regions")}),
        (_("个人信息"), {"fields": ("display_name", "unit", "post", "phone", "email")}),
        (_("状态"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("身份与范围"), {"fields": ("role", "region", "department", "association", "covered_regions")}),
        (_("个人信息"), {"fields": ("display_name", "unit", "post", "phone", "email")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["export_users"]

    @admin.action(description=_("导出所选用户名单（Excel）"))
    def export_users(self, request, queryset):
        queryset = queryset.select_related("region", "department").order_by("username")
        rows = ([u.username, u.display_name, u.get_role_display(), str(u.region) if u.region else "",
                 u.department.name if u.department else "", u.unit, u.phone, u.is_active, u.last_login]
                for u in queryset)
        export = Export(
            kind="users", title=str(_("用户名单")), rows=rows,
            headers=[_("用户名"), _("姓名"), _("角色"), _("所属地区"), _("所属部门"), _("单位"),
                     _("联系电话"), _("启用"), _("最后登录")],
            filters={"ids": sorted(queryset.values_list("pk", flat=True)), "query": request.GET.urlencode()},
        )
        return export_response(request, export)



@admin.register(ExportLog)
class ExportLogAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    """The export log, for administrators; nobody edits or deletes it (the table refuses too)."""

    list_display = ["created_at", "user", "title", "kind", "format", "rows", "ip"]
    list_filter = ["kind", "format", "created_at"]
    search_fields = ["title", "user__username", "user__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
