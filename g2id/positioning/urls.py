from django.urls import path

from g2id.positioning import views

app_name = "positioning"

urlpatterns = [
    path("espace/demandes/<str:reference>/avis/", views.opinion, name="opinion"),
    path("espace/demandes/<str:reference>/deport/", views.recusal, name="recusal"),
    path("espace/demandes/<str:reference>/decision/", views.decision, name="decision"),
    path("espace/demandes/<str:reference>/invitations/", views.invite, name="invite"),
    path(
        "espace/demandes/<str:reference>/invitations/<int:invitation_id>/retrait/",
        views.revoke,
        name="revoke",
    ),
    path("espace/reorientations/", views.referral_counts, name="referral_counts"),
    path("avis/<str:token>/", views.invited, name="invited"),
    path(
        "suivi/<str:token>/reorientation/<int:referral_id>/",
        views.referral_feedback,
        name="referral_feedback",
    ),
]
