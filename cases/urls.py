from django.urls import path

from cases import views, views_association

urlpatterns: list = [
    path("", views.case_list_page, name="cases-list"),
    path("export/", views.case_export, name="cases-export"),
    path("bulk/", views.case_bulk, name="cases-bulk"),
    path("views/", views.saved_view_create, name="cases-view-save"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="cases-view-delete"),
    path("queue/", views.case_queue, name="cases-queue"),
    path("new/", views.case_create_page, name="cases-create"),
    path("register/", views_association.register, name="cases-register"),
    path("registered/", views_association.registered_list, name="cases-registered"),
    path("new/enterprises/", views.enterprise_search, name="cases-enterprise-search"),
    path("new/enterprise/", views.enterprise_pick, name="cases-enterprise-pick"),
    path("attachments/<str:token>/", views.attachment_download, name="cases-attachment-download"),
    path("<int:pk>/", views.case_detail, name="cases-detail"),
    path("<int:pk>/print/", views.case_print, name="cases-print"),
    path("<int:pk>/attachments/", views.attachment_upload, name="cases-attachment-upload"),
    path("<int:pk>/<slug:action>/", views.case_action, name="cases-action"),
]
