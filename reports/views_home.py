"""The 工作台: each role's home page with its to-dos."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from chainwork.models import Region, Role
from chainwork.scope import role_for, scope_for
from reports.workbench import todos_for

HOME_TEMPLATES = {role: f"reports/home/{role}.html" for role in Role.values}


@login_required
def home(request):
    """The 工作台: one page per role."""
    user = request.user
    role = role_for(user)
    scope = scope_for(user)
    regions = None if scope.is_national else Region.objects.filter(code__in=scope.regions)
    return render(request, HOME_TEMPLATES[role], {"scope": scope, "scope_regions": regions, "role": role,
                                                  "todos": todos_for(user)})
