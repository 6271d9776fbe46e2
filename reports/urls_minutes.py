from django.urls import path

from reports import views_minutes, views_monitoring

urlpatterns = [
    path("monitoring/", views_monitoring.monitoring_page, name="reports-monitoring"),
    path("<int:pk>/minutes/", views_minutes.minutes_print, name="reports-minutes-print"),
    path("<int:pk>/minutes.docx", views_minutes.minutes_docx, name="reports-minutes-docx"),
]
