from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from chainwork.models import Category, Department, Holiday, IndustrySection, KeyField, Region, Role, User

admin.site.site_header = _("chainwork 系统管理")
admin.site.site_title = _("chainwork 系统管理")
admin.site.index_title = _("系统管理")


class ReferenceAdmin(admin.ModelAdmin):
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
    search_fields = ["slug", "name", "short_name"]


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


@admin.register(Holiday)
class HolidayAdmin(ReferenceAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are the administrators' alone."""

    list_display = ["username", "display_name", "role", "region", "department", "is_active", "last_login"]
    list_filter = ["role", "region", "department", "is_active"]
    search_fields = ["username", "display_name", "email", "phone"]
    filter_horizontal = ["covered_regions", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份与范围"), {"fields": ("role", "region", "department", "covered_regions")}),
        (_("个人信息"), {"fields": ("display_name", "unit", "phone", "email")}),
        (_("状态"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("身份与范围"), {"fields": ("role", "region", "department", "covered_regions")}),
        (_("个人信息"), {"fields": ("display_name", "unit", "phone", "email")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def _is_admin(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.role == Role.ADMIN)

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)
