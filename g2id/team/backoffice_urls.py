from django.urls import path

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
]
