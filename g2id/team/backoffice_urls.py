from django.urls import path

from g2id.accounts import profile_views
from g2id.team import backoffice

app_name = "office"

urlpatterns = [
    path("equipe/", backoffice.cells, name="cells"),
    path("equipe/<slug:slug>/", backoffice.cell, name="cell"),
    path("equipe/<slug:slug>/membres/ajouter/", backoffice.add_member, name="add_member"),
    path(
        "equipe/<slug:slug>/membres/<int:pk>/renouveler/",
        backoffice.renew_member,
        name="renew_member",
    ),
    path("equipe/<slug:slug>/membres/<int:pk>/terminer/", backoffice.end_member, name="end_member"),
    path("equipe/<slug:slug>/textes/", backoffice.texts, name="texts"),
    path("profil/", backoffice.profile, name="profile"),
    path("profil/competences/", backoffice.add_skill, name="add_skill"),
    path("profil/competences/<int:pk>/supprimer/", backoffice.remove_skill, name="remove_skill"),
    path("profil/jetons/", profile_views.create_api_token, name="create_api_token"),
    path(
        "profil/jetons/<int:pk>/revoquer/",
        profile_views.revoke_api_token,
        name="revoke_api_token",
    ),
    path("profil/notifications/", profile_views.notification_preferences, name="notifications"),
]
