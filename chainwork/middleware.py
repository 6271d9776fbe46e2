import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from chainwork.statement_timeout import is_statement_timeout, statement_timeout

logger = logging.getLogger(__name__)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Simplified Chinese unless the user chose English with the switcher (a cookie);
    a browser's Accept-Language does not decide it. The API follows Accept-Language, as scripted
    clients expect."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class RejectNulMiddleware:
    """400 for a request whose path, query, cookies or Authorization header hold a NUL.

    No URL, filter, token or session key of the product contains one, and PostgreSQL text cannot: let
    through, it fails deep in a query as a 500. One check here instead of one per filter and view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return bad_request_answer(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return True
        if "\x00" in request.META.get("HTTP_AUTHORIZATION", "") or "\x00" in request.META.get("HTTP_COOKIE", ""):
            return True
        return any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items())


def bad_request_answer(request) -> HttpResponse:
    """400: JSON under /api/, the 400 page elsewhere, in the request's language (set just before)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("请求中含有无效字符。")}, status=400)
    return bad_request(request, None)


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request) -> HttpResponse:
    """503 for a request the database could not serve: JSON under /api/, a plain page elsewhere.

    The page is rendered without a request context: the context processors (menu, notification counts)
    would ask the database again."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": _("数据库暂时无法访问，请稍后再试。")}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """With the database unreachable, every request answers 503 at once (no traceback, no 500), and
    the next request after it comes back is served as usual: a connection that failed is dropped at the
    end of the request (Django's close_old_connections with CONN_HEALTH_CHECKS) and the next one opens
    anew. OperationalError also covers a deadlock or a statement timeout: transient too, so a 503 with
    Retry-After fits them as well.

    Placed right after the authentication middleware: it loads the user here, inside a try, because the
    middleware after it (the audit context, django-axes) would otherwise be the first to touch the
    database, and an exception raised in a middleware becomes a 500 before any process_exception sees
    it. Errors in the view and its template come through process_exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and request.path != "/healthz":  # healthz names the failing dependency
            try:
                user.is_authenticated  # noqa: B018 -- loads the lazy user: session and user rows
            except DATABASE_ERRORS:
                return self._unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exception=None) -> HttpResponse:
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "-"
        if exception is not None and is_statement_timeout(exception):
            # Not an outage: one query of this view ran past DB_STATEMENT_TIMEOUT_MS. The view's name
            # says which page to look at; the query itself is in PostgreSQL's log.
            logger.error("statement timeout (%s ms) in view %s for %s %s", settings.DB_STATEMENT_TIMEOUT_MS,
                         view, request.method, request.path, exc_info=True)
        else:
            logger.error("database unavailable in view %s for %s %s", view, request.method, request.path,
                         exc_info=True)
        session = getattr(request, "session", None)
        if session is not None and not hasattr(session, "_session_cache"):
            # The session could not be loaded. On the way out the session middleware would try again
            # (for the cookie's expiry) and turn this 503 into a 500; an empty cache stops it. A 5xx
            # answer saves no session and keeps the user's cookie, so they are still signed in after.
            session._session_cache = {}
        return database_unavailable(request)


class StatementTimeoutMiddleware:
    """Every query of a web request runs under DB_STATEMENT_TIMEOUT_MS, shorter than the gunicorn worker
    timeout: a runaway query is cancelled by PostgreSQL while the request can still answer (a 503 from
    DatabaseUnavailableMiddleware), instead of burning on after gunicorn killed the worker. The limit is
    lifted when the request ends (chainwork.statement_timeout), so nothing else in the process inherits it.

    Placed before the session middleware, so the session's load and save run under the limit too. A
    streamed response's rows are read after this returns, without it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with statement_timeout(settings.DB_STATEMENT_TIMEOUT_MS):
            return self.get_response(request)


class SessionRefreshMiddleware:
    """Sessions expire SESSION_COOKIE_AGE after the user's last request (2 h idle), as
    SESSION_SAVE_EVERY_REQUEST would do, but the session is written at most once every
    SESSION_REFRESH_SECONDS instead of on every request: three queries (BEGIN, UPDATE, COMMIT) saved on
    nearly every page, for an expiry that may come that much earlier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the request read already (a signed-in user): never a query for this alone.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


REFRESHED_KEY = "_chainwork_refreshed"
