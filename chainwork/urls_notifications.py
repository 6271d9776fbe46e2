"""The notifications page; included at /notifications/."""

from django.urls import path

from chainwork import views_notifications as views

urlpatterns = [
    path("", views.notification_list, name="chainwork-notifications"),
    path("<int:pk>/open/", views.notification_open, name="chainwork-notification-open"),
    path("read-all/", views.notification_read_all, name="chainwork-notifications-read-all"),
    path("preferences/", views.preferences_save, name="chainwork-notification-preferences"),
]
