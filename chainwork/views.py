from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
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


# Django's error handlers, for what no view answered itself: JSON under /api/ (clients parse it, and a
# DRF view re-raises what is not an APIException), the page elsewhere.


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("请求有误。")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("您没有执行该操作的权限。")}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("服务器内部错误，请稍后再试。")}, status=500)
    return defaults.server_error(request)
