"""统计报表 pages, included by chainwork.urls under "reports/"; the API registers with the router
(reports.api.register)."""

from django.urls import path

from reports import exposure_docx, views, views_benefit, views_departments

urlpatterns = [
    path("", views.dashboard, name="reports-dashboard"),
    path("export/", views.dashboard_export, name="reports-dashboard-export"),
    path("daily/", views.daily_report, name="reports-daily"),
    path("daily/finalise/", views.daily_finalise, name="reports-daily-finalise"),
    path("daily/export/", views.daily_export, name="reports-daily-export"),
    path("daily/print/", views.daily_print, name="reports-daily-print"),
    path("daily/zero-report/", views.zero_report, name="reports-zero-report"),
    path("weekly/", views.weekly_report, name="reports-weekly"),
    path("weekly/finalise/", views.weekly_finalise, name="reports-weekly-finalise"),
    path("departments/", views_departments.department_record, name="reports-departments"),
    path("departments/export/", views_departments.department_record_export, name="reports-departments-export"),
    path("benefit/", views_benefit.benefit_report, name="reports-benefit"),
    path("benefit/export/", views_benefit.benefit_export, name="reports-benefit-export"),
    path("exposure/<int:pk>/report.docx", exposure_docx.exposure_docx, name="reports-exposure-docx"),
]
