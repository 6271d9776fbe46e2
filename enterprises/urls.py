from django.urls import include, path

from enterprises import views, views_covered

urlpatterns = [
    path("", views.enterprise_list, name="enterprises-list"),
    path("covered/", views_covered.covered_list, name="enterprises-covered"),
    path("export/", views.enterprise_export, name="enterprises-export"),
    path("new/", views.enterprise_create, name="enterprises-create"),
    path("status/", views.status_grid, name="enterprises-status-grid"),
    path("<int:pk>/", views.enterprise_detail, name="enterprises-detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprises-edit"),
    path("<int:pk>/status/", views.status_report_create, name="enterprises-status"),
    path("<int:pk>/links/new/", views.supply_link_create, name="enterprises-link-create"),
    path("links/<int:pk>/delete/", views.supply_link_delete, name="enterprises-link-delete"),
    path("", include("enterprises.urls_import")),
    path("", include("enterprises.urls_chain")),
]
