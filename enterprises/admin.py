"""重点产业链 and the register of countries' situations in the Django admin: the 部专班 and administrators
keep them (as on the pages); pghistory records every change, shown by the 历史 button."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chainwork.admin import ReferenceAdmin
from enterprises.models import CountrySituation, IndustryChain, IndustryChainLead


class IndustryChainLeadInline(admin.TabularInline):
    model = IndustryChainLead
    extra = 0
    raw_id_fields = ["enterprise"]
    fields = ["enterprise", "added_by_name", "added_at"]
    readonly_fields = ["added_by_name", "added_at"]

    # A method rather than the field: added_by has no verbose name of its own (and a new one is a migration).
    @admin.display(description=_("加入人"))
    def added_by_name(self, obj):
        return obj.added_by or "—"


@admin.register(IndustryChain)
class IndustryChainAdmin(ReferenceAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "description"]
    inlines = [IndustryChainLeadInline]


@admin.register(CountrySituation)
class CountrySituationAdmin(ReferenceAdmin):
    list_display = ["country", "kind", "severity", "started_on", "ended_on", "source", "recorded_by"]
    list_filter = ["kind", "severity"]
    search_fields = ["country", "source", "note"]
    date_hierarchy = "started_on"
    list_select_related = ["recorded_by"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
