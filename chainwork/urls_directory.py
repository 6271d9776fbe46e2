from django.urls import path

from chainwork import views_directory

urlpatterns = [
    path("", views_directory.directory_page, name="directory"),
    path("me/", views_directory.profile_page, name="directory-me"),
]
