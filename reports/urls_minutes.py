from django.urls import path

from reports import views_minutes

urlpatterns = [
    path("<int:pk>/minutes/", views_minutes.minutes_print, name="reports-minutes-print"),
    path("<int:pk>/minutes.docx", views_minutes.minutes_docx, name="reports-minutes-docx"),
]
