from django.urls import path

from g2id.steering import views

app_name = "steering"

urlpatterns = [
    path("equipe/<slug:slug>/pilotage/", views.meetings, name="meetings"),
    path("equipe/<slug:slug>/pilotage/nouvelle/", views.create, name="create"),
    path("equipe/<slug:slug>/pilotage/decisions/", views.register, name="register"),
    path(
        "equipe/<slug:slug>/pilotage/decisions/<int:pk>/statut/",
        views.decision_status,
        name="decision_status",
    ),
    path("equipe/<slug:slug>/pilotage/<int:pk>/", views.meeting, name="meeting"),
    path(
        "equipe/<slug:slug>/pilotage/<int:pk>/ordre-du-jour/reconstruire/",
        views.rebuild,
        name="rebuild",
    ),
    path(
        "equipe/<slug:slug>/pilotage/<int:pk>/ordre-du-jour/ajouter/",
        views.add_item,
        name="add_item",
    ),
    path(
        "equipe/<slug:slug>/pilotage/<int:pk>/ordre-du-jour/<int:item>/<str:action>/",
        views.item_action,
        name="item_action",
    ),
    path("equipe/<slug:slug>/pilotage/<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("equipe/<slug:slug>/pilotage/<int:pk>/decisions/", views.decide, name="decide"),
]
