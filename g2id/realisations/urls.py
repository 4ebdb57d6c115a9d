from django.urls import path

from g2id.public.cache import cached_page
from g2id.realisations import views
from g2id.realisations.feeds import RealisationsFeed

app_name = "realisations"

TEAM = "espace/interventions/<str:reference>/livrables/"

urlpatterns = [
    path("realisations/", views.index, name="index"),
    path("realisations/feed/", cached_page(RealisationsFeed()), name="feed"),
    path("realisations/etudes-de-cas/<int:pk>/", views.case_study_page, name="case_study"),
    path("realisations/livrables/<int:pk>/", views.deliverable_page, name="deliverable"),
    path(
        "realisations/livrables/<int:pk>/fichier/<int:version_id>/",
        views.public_file,
        name="public_file",
    ),
    path("realisations/livrables/<int:pk>/nous-aussi/", views.we_use_it, name="we_use_it"),
    path("espace/livrables/", views.register, name="register"),
    path(
        "espace/livrables/reutilisations/<int:reuse_id>/confirmer/",
        views.confirm,
        name="confirm_reuse",
    ),
    path(TEAM, views.deliverables, name="team_deliverables"),
    path(TEAM + "ajouter/", views.add, name="add"),
    path(TEAM + "<int:pk>/modifier/", views.edit, name="edit"),
    path(TEAM + "<int:pk>/version/", views.new_version, name="new_version"),
    path(TEAM + "<int:pk>/fichier/<int:version_id>/", views.team_file, name="team_file"),
    path(
        "espace/interventions/<str:reference>/etude-de-cas/",
        views.case_study,
        name="case_study_edit",
    ),
]
