from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chainwork.admin import AuditHistoryMixin, ReferenceAdmin
from chainwork.models import Role
from enterprises.models import Size
from policies.models import Policy, PolicyApplication, PolicyReserve, ResponsePlan, ServiceMeasure, ServicePlan


class PolicyAdminForm(forms.ModelForm):
    sizes = forms.MultipleChoiceField(label=_("适用企业规模"), choices=Size.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("不选为不限"))

    class Meta:
        model = Policy
        fields = ["name", "slug", "summary", "is_active", "order", "issuers", "issuer_text", "document_number",
                  "issued_on", "to_be_confirmed", "sizes", "key_fields", "categories", "regions", "valid_from",
                  "valid_to", "amount_kind"]


@admin.register(Policy)
class PolicyAdmin(ReferenceAdmin):
    """The catalogue: the 部专班 and administrators edit it; pghistory keeps every change."""

    form = PolicyAdminForm

    list_display = ["name", "document_number", "issued_on", "valid_from", "valid_to", "amount_kind",
                    "to_be_confirmed", "is_active", "order"]
    list_filter = ["is_active", "to_be_confirmed", "amount_kind", "issuers", "categories"]
    search_fields = ["name", "slug", "document_number", "summary", "issuer_text"]
    filter_horizontal = ["issuers", "key_fields", "categories", "regions"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "is_active", "order")}),
        (_("发文"), {"fields": ("issuers", "issuer_text", "document_number", "issued_on", "to_be_confirmed")}),
        (_("适用条件"), {"fields": ("sizes", "key_fields", "categories", "regions")}),
        (_("有效期与金额"), {"fields": ("valid_from", "valid_to", "amount_kind")}),
    )


@admin.register(PolicyApplication)
class PolicyApplicationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Take-up records are written by officials through the pages and the API; here they are read only."""

    list_display = ["date", "enterprise", "policy", "status", "amount_wan", "recorded_by", "created_at"]
    list_filter = ["status", "policy"]
    search_fields = ["enterprise__name", "policy__name", "notes"]
    date_hierarchy = "date"
    list_select_related = ["enterprise", "policy", "recorded_by"]
    readonly_fields = [f.name for f in PolicyApplication._meta.fields]

    def _national(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role in (Role.MINISTRY, Role.ADMIN))

    def has_module_permission(self, request):
        return self._national(request)

    def has_view_permission(self, request, obj=None):
        return self._national(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NationalReadOnlyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Written through the pages and the API (policies.services_plans); here the 部专班 and administrators
    read them and their history."""

    def _national(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role in (Role.MINISTRY, Role.ADMIN))

    def has_module_permission(self, request):
        return self._national(request)

    def has_view_permission(self, request, obj=None):
        return self._national(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponsePlan)
class ResponsePlanAdmin(NationalReadOnlyAdmin):
    list_display = ["title", "lead", "chain", "state", "stock_days", "owner_unit", "updated_at"]
    list_filter = ["state", "chain"]
    search_fields = ["title", "lead__name", "owner_unit", "actions"]
    list_select_related = ["lead", "chain"]


@admin.register(PolicyReserve)
class PolicyReserveAdmin(NationalReadOnlyAdmin):
    list_display = ["title", "proposing_unit", "state", "policy", "updated_at"]
    list_filter = ["state", "chains"]
    search_fields = ["title", "summary", "proposing_unit"]
    list_select_related = ["policy"]


class ServiceMeasureInline(admin.TabularInline):
    model = ServiceMeasure
    extra = 0
    fields = ["text", "responsible_unit", "deadline", "state", "progress", "done_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServicePlan)
class ServicePlanAdmin(NationalReadOnlyAdmin):
    list_display = ["lead", "contact_unit", "contact_person", "updated_at"]
    search_fields = ["lead__name", "contact_unit"]
    list_select_related = ["lead"]
    inlines = [ServiceMeasureInline]
