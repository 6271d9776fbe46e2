"""A test-only URLconf: the project's URLs plus views whose query outlasts a tiny statement timeout.
Never part of the product (tests/chainwork/test_statement_timeout.py points ROOT_URLCONF here)."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path


def slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("done")


def show_statement_timeout(request):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return JsonResponse({"statement_timeout": cursor.fetchone()[0]})


urlpatterns = [
    path("slow/", slow, name="test-slow-page"),
    path("api/v1/slow/", slow, name="test-slow-api"),
    path("statement-timeout/", show_statement_timeout, name="test-statement-timeout"),
    path("", include("chainwork.urls")),
]
