from django.urls import path

from g2id.requests import views

app_name = "requests"

urlpatterns = [
    path("demande/", views.request_form, name="form"),
    path("demande/bibliotheques/", views.library_search, name="library_search"),
    path("demande/envoyee/", views.submitted, name="submitted"),
    path("suivi/lien-perdu/", views.lost_link, name="lost_link"),
    path("suivi/<str:token>/", views.track, name="track"),
    path("suivi/<str:token>/message/", views.track_message, name="track_message"),
    path("suivi/<str:token>/retrait/", views.track_withdraw, name="track_withdraw"),
    path(
        "suivi/<str:token>/pieces/<int:attachment_id>/",
        views.track_attachment,
        name="track_attachment",
    ),
]
