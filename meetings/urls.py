from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.consultation_list, name="meetings-list"),
    path("new/", views.consultation_create, name="meetings-create"),
    path("decisions/", views.decision_list, name="meetings-decisions"),
    path("decisions/<int:pk>/done/", views.decision_done, name="meetings-decision-done"),
    path("<int:pk>/", views.consultation_detail, name="meetings-detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="meetings-edit"),
    path("<int:pk>/proposal/", views.proposal, name="meetings-proposal"),
    path("<int:pk>/agenda/", views.agenda_add, name="meetings-agenda-add"),
    path("<int:pk>/agenda/<int:item>/", views.agenda_item, name="meetings-agenda-item"),
    path("<int:pk>/decisions/", views.decision_create, name="meetings-decision-create"),
]
