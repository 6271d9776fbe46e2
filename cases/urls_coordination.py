"""转办督办, 协办, 申请延期 and 共性问题 pages, included under /cases/ before cases.urls (so `referrals/`,
`listed/`, `shares/`, `extensions/` and `groups/` are never read as a problem's action)."""

from django.urls import path

from cases import views_coordination as views
from cases import views_extensions

urlpatterns: list = [
    path("referrals/", views.referral_board, name="cases-referrals"),
    path("referrals/<int:pk>/print/", views.referral_print, name="cases-referral-print"),
    path("referrals/<int:pk>/respond/", views.referral_respond, name="cases-referral-respond"),
    path("referrals/<int:pk>/send-back/", views.referral_send_back, name="cases-referral-send-back"),
    path("referrals/<int:pk>/urge/", views.referral_urge, name="cases-referral-urge"),
    path("referrals/<int:pk>/extend/", views_extensions.referral_extend, name="cases-referral-extend"),
    path("extensions/", views_extensions.extension_list, name="cases-extensions"),
    path("extensions/<int:pk>/grant/", views_extensions.extension_grant, name="cases-extension-grant"),
    path("extensions/<int:pk>/refuse/", views_extensions.extension_refuse, name="cases-extension-refuse"),
    path("listed/", views.listed_board, name="cases-listed-board"),
    path("shares/", views.share_board, name="cases-shares"),
    path("<int:pk>/supervision/print/", views.supervision_print, name="cases-supervision-print"),
    path("groups/", views.group_list, name="cases-groups"),
    path("groups/<int:pk>/", views.group_detail, name="cases-group-detail"),
    path("groups/<int:pk>/members/", views.group_add, name="cases-group-add"),
    path("groups/<int:pk>/members/<int:case_pk>/remove/", views.group_remove, name="cases-group-remove"),
    path("groups/<int:pk>/route/", views.group_route, name="cases-group-route"),
    path("groups/<int:pk>/urge/", views.group_urge, name="cases-group-urge"),
    path("groups/<int:pk>/respond/", views.group_respond, name="cases-group-respond"),
]
