from django.http import HttpResponse
from django.urls import include, path


def healthz(_request):
    """What bench/server.py waits for before it measures (chainwork has the same path)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
