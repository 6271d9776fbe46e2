from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chainwork import health
from chainwork.models import Region, Role
from chainwork.scope import role_for, scope_for
from chainwork.workbench import todos_for

HOME_TEMPLATES = {role: f"chainwork/home/{role}.html" for role in Role.values}


@login_required
def home(request):
    """The 工作台: one page per role."""
    user = request.user
    role = role_for(user)
    scope = scope_for(user)
    regions = None if scope.is_national else Region.objects.filter(code__in=scope.regions)
    return render(request, HOME_TEMPLATES[role], {"scope": scope, "scope_regions": regions, "role": role,
                                                  "todos": todos_for(user)})


@require_GET
@never_cache
def healthz(request):
    result = health.status()
    ok = all(value == "ok" for value in result.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", **result}, status=200 if ok else 503)


def favicon(request):
    # Resolved per request: the manifest of hashed names exists only after collectstatic.
    return redirect(static("img/favicon.svg"), permanent=True)


def not_found(request, exception=None):
    """404 for every URL that matches nothing: JSON under /api/ (clients parse it), the page elsewhere."""
    if request.path.startswith("/api/"):
        from django.utils.translation import gettext as _

        return JsonResponse({"detail": _("未找到。")}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
