"""第N批问题清单 and the 问题清单 import; included under "cases/" before the other cases patterns."""

from django.urls import path

from cases import views_batches

urlpatterns: list = [
    path("batches/", views_batches.batch_list, name="cases-batches"),
    path("batches/new/", views_batches.batch_create, name="cases-batch-create"),
    path("batches/<int:pk>/", views_batches.batch_detail, name="cases-batch-detail"),
    path("batches/<int:pk>/approve/", views_batches.batch_approve, name="cases-batch-approve"),
    path("import/", views_batches.import_upload, name="cases-import"),
    path("import/confirm/", views_batches.import_confirm, name="cases-import-confirm"),
    path("import/template/", views_batches.import_template, name="cases-import-template"),
]
