from django.urls import path

from policies import views, views_money

urlpatterns = [
    path("", views.policy_list, name="policies-list"),
    path("<int:pk>/", views.policy_detail, name="policies-detail"),
    path("applications/", views.application_list, name="policies-applications"),
    path("applications/new/", views.application_create, name="policies-application-create"),
    path("report/", views.report, name="policies-report"),
    path("report/export/", views.report_export, name="policies-report-export"),
    path("financing/", views_money.financing_list, name="policies-financing"),
    path("financing/export/", views_money.financing_export, name="policies-financing-export"),
    path("financing/new/", views_money.financing_create, name="policies-financing-create"),
    path("financing/<int:pk>/", views_money.financing_detail, name="policies-financing-detail"),
    path("financing/<int:pk>/<slug:step>/", views_money.financing_step, name="policies-financing-step"),
    path("arrears/", views_money.arrear_list, name="policies-arrears"),
    path("arrears/export/", views_money.arrear_export, name="policies-arrears-export"),
    path("arrears/new/", views_money.arrear_create, name="policies-arrear-create"),
    path("arrears/<int:pk>/", views_money.arrear_detail, name="policies-arrear-detail"),
    path("arrears/<int:pk>/repay/", views_money.arrear_repay, name="policies-arrear-repay"),
    path("arrears/<int:pk>/dispute/", views_money.arrear_dispute, name="policies-arrear-dispute"),
]
