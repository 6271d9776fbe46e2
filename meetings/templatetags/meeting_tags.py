from django import template

from meetings.selectors import decision_light, open_decisions_of

register = template.Library()


@register.inclusion_tag("meetings/partials/_my_decisions.html", takes_context=True)
def my_decisions(context, limit: int = 20):
    """The open 议定事项 of the user's unit, for a home page without the to-do list (a department's)."""
    decisions = list(open_decisions_of(context["request"].user)[:limit])
    for decision in decisions:
        decision.light = decision_light(decision)
    return {"decisions": decisions, "request": context["request"]}
