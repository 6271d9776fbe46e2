from django.urls import path

from enterprises import views_import

urlpatterns: list = [
    path("import/", views_import.import_upload, name="enterprises-import"),
    path("import/confirm/", views_import.import_confirm, name="enterprises-import-confirm"),
    path("import/template/<slug:kind>/", views_import.import_template, name="enterprises-import-template"),
]
