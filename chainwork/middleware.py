import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

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
