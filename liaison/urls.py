"""一对一联系 URLs; included under /enterprises/ (paths start with contacts/)."""

from django.urls import path

from liaison import views

urlpatterns = [
    path("contacts/", views.contact_home, name="enterprises-contacts"),
    path("contacts/new/", views.contact_create, name="enterprises-contact-create"),
    path("contacts/assignments/", views.assignment_list, name="enterprises-assignments"),
    path("contacts/assignments/<int:pk>/end/", views.assignment_end, name="enterprises-assignment-end"),
    path("contacts/coverage/", views.coverage_page, name="enterprises-coverage"),
    path("contacts/photos/<str:token>/", views.contact_photo, name="enterprises-contact-photo"),
    path("contacts/<int:pk>/", views.contact_detail, name="enterprises-contact-detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="enterprises-contact-edit"),
    path("contacts/<int:pk>/problem/", views.contact_raise_problem, name="enterprises-contact-problem"),
]
