from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chainwork import health


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
