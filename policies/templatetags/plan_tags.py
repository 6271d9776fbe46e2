"""Panels that pages of lower apps show without importing policies (the layering is one way): the
enterprise page loads this library by name and draws its lead's 一企一策 and 应对预案."""

from django import template

from policies import services_plans as services
from policies.models import ResponsePlan, ServicePlan

register = template.Library()


@register.inclusion_tag("policies/plans/_enterprise_panel.html", takes_context=True)
def lead_plans_panel(context, enterprise):
    """A lead's 一企一策 with its measures, and the 应对预案 for it — what the viewer may see."""
    user = context["request"].user
    plan = (ServicePlan.objects.visible_to(user).filter(lead=enterprise).prefetch_related("measures").first())
    response_plans = list(ResponsePlan.objects.visible_to(user).filter(lead=enterprise)
                          .order_by("-updated_at")[:5])
    return {"enterprise": enterprise, "plan": plan, "measures": list(plan.measures.all()) if plan else [],
            "response_plans": response_plans, "can_keep": services.can_keep_for_lead(user, enterprise),
            "request": context["request"]}


@register.simple_tag(takes_context=True)
def reads_plans(context) -> bool:
    """Whether the viewer reads 应对预案 and 政策储备 (the tabs that lead there)."""
    return services.can_view_plans(context["request"].user)
