from django.urls import path

from policies import views

urlpatterns = [
    path("", views.policy_list, name="policies-list"),
    path("<int:pk>/", views.policy_detail, name="policies-detail"),
    path("applications/", views.application_list, name="policies-applications"),
    path("applications/new/", views.application_create, name="policies-application-create"),
    path("report/", views.report, name="policies-report"),
    path("report/export/", views.report_export, name="policies-report-export"),
]
