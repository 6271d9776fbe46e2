from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cases import api as cases_api
from chainwork import api, api_directory, views
from chainwork.api_auth import obtain_auth_token
from enterprises import api as enterprises_api
from liaison import api as api_contacts
from meetings import api as meetings_api
from policies import api as policies_api
from reports import api as reports_api
from reports import views_home

# Swagger UI sets inline styles as it renders; scripts stay 'self' only, and only on this page.
api_docs = csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

# No format suffixes (`/api/v1/cases/1.json`): the API speaks JSON only, so a suffix answers 404.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("regions", api.RegionViewSet, basename="region")
router.register("departments", api.DepartmentViewSet, basename="department")
enterprises_api.register(router)
cases_api.register(router)
api_contacts.register(router)
reports_api.register(router)
api_directory.register(router)
policies_api.register(router)
meetings_api.register(router)

urlpatterns = [
    path("", views_home.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("enterprises.urls")),
    path("enterprises/", include("liaison.urls")),
    path("notifications/", include("chainwork.urls_notifications")),
    path("directory/", include("chainwork.urls_directory")),
    path("reports/", include("reports.urls")),
    path("policies/", include("policies.urls")),
    path("consultations/", include("reports.urls_minutes")),
    path("consultations/", include("meetings.urls")),
    path("cases/", include("cases.urls_batches")),
    path("cases/", include("cases.urls_coordination")),
    path("cases/", include("cases.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("favicon.ico", views.favicon),
]

handler400 = "chainwork.views.bad_request"
handler403 = "chainwork.views.permission_denied"
handler404 = "chainwork.views.not_found"
handler500 = "chainwork.views.server_error"
