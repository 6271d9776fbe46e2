"""The 工作台: each role's home page with what waits for the user's action."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cases.selectors import registered_case_list
from chainwork.models import Region, Role
from chainwork.scope import role_for, scope_for
from reports.workbench import association_todos, todos_for, workbench_for

HOME_TEMPLATES = {role: f"reports/home/{role}.html" for role in Role.values}
# Homes that are not (yet) a to-do list: the department's (its referral list) and the administrator's.
COUNTS_ONLY = (Role.DEPARTMENT, Role.ADMIN)


@login_required
def home(request):
    """The 工作台: one page per role."""
    user = request.user
    role = role_for(user)
    scope = scope_for(user)
    regions = None if scope.is_national else Region.objects.filter(code__in=scope.regions)
    context = {"scope": scope, "scope_regions": regions, "role": role}
    if role == Role.ASSOCIATION:
        context.update(todos=association_todos(user), cases=list(registered_case_list(user)[:10]),
                       association=user.association)
    elif role in COUNTS_ONLY:
        context["todos"] = todos_for(user)
    else:
        bench = workbench_for(user)
        context.update(todos=bench.todos, rows=bench.rows, more=bench.more)
    return render(request, HOME_TEMPLATES[role], context)
