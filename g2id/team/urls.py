from django.urls import path

from g2id.team import views

app_name = "team"

urlpatterns = [
    path("equipe/", views.index, name="index"),
    path("equipe/<slug:slug>/", views.member, name="member"),
    path("equipe/<slug:slug>/photo/", views.photo, name="photo"),
    path("vade-mecum/", views.vade_mecum, name="vade_mecum"),
]
